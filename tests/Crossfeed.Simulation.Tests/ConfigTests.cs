using Crossfeed.Core;

namespace Crossfeed.Simulation.Tests;

public sealed class ConfigTests
{
    public static TheoryData<string, Func<WorldConfig, WorldConfig>> BadKnobs => new()
    {
        { "Impressions", c => c with { Impressions = -5 } },
        { "Days", c => c with { Days = 0 } },
        { "AdShare", c => c with { AdShare = 1.5 } },
        { "NewShowShare", c => c with { NewShowShare = -0.1 } },
        { "NewShowShare", c => c with { NewShowShare = 1 } },
        { "AdVideoShare", c => c with { AdAudioShare = 0.9, AdVideoShare = 0.2 } },
        { "PromoExploration", c => c with { PromoExploration = double.NaN } },
        { "PromoStreamRate", c => c with { PromoStreamRate = 0 } },
        { "EmbeddingDim", c => c with { EmbeddingDim = 0 } },
        { "Users", c => c with { Users = 1 } },
        { "TierThresholds", c => c with { TierThresholds = [5, 50, 500, 5_000, 50_000, 500_000, 5_000_000] } },
        { "TierThresholds", c => c with { TierThresholds = [1, 2] } },
        { "AdFollowFromDay", c => c with { AdFollowFromDay = 57 } },
        { "CampaignMaxDays", c => c with { CampaignMinDays = 10, CampaignMaxDays = 5 } },
        { "AdAudioShare", c => c with { Scenario = Scenario.Camoe } },
    };

    [Theory]
    [MemberData(nameof(BadKnobs))]
    public void Invalid_knob_throws_naming_the_knob(string knob, Func<WorldConfig, WorldConfig> change)
    {
        var config = change(new WorldConfig());
        var e = Assert.Throws<BadInputException>(config.Validate);
        Assert.StartsWith(knob + " ", e.Message);
    }

    [Fact]
    public void Invalid_config_is_refused_before_anything_is_written()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crossfeed-sim-tests", Guid.NewGuid().ToString("N"));
        Assert.Throws<BadInputException>(() => Simulator.Run(new WorldConfig { Impressions = 0 }, dir));
        Assert.False(Directory.Exists(dir));
        Assert.Throws<BadInputException>(() => WorldConfig.ForScenario(Scenario.Podcast, -1, 7));
    }

    [Fact]
    public void Defaults_are_valid_and_match_the_default_scenario()
    {
        var d = new WorldConfig();
        d.Validate();
        var f = WorldConfig.ForScenario(Scenario.Podcast, 1_500_000, 7);
        Assert.Equal(d, f);
        Assert.Equal(42, d.TrainEndDay);
        Assert.Equal(49, d.ValEndDay);
        Assert.Equal(35, d.EffectiveAdFollowFromDay);
        Assert.Equal(0.23, d.AdDisplayShare, 10);
        var camoe = WorldConfig.ForScenario(Scenario.Camoe, 1_500_000, 7);
        camoe.Validate();
        Assert.Equal(0, camoe.AdDisplayShare, 10);
    }

    [Fact]
    public void Small_scenarios_scale_the_catalogue_down()
    {
        var c = WorldConfig.ForScenario(Scenario.Podcast, 60_000, 1);
        c.Validate();
        Assert.InRange(c.Users, 1_000, 10_000);
        Assert.InRange(c.Shows, 600, 1_000);
        Assert.InRange(c.Campaigns, 120, 200);
    }

    [Fact]
    public void Intercept_solver_hits_the_target_mean()
    {
        var z = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 3).ToArray();
        foreach (var target in new[] { 0.001, 0.01, 0.12, 0.5, 0.97 })
        {
            double b = Simulator.SolveIntercept(z, target);
            double mean = z.Average(v => 1 / (1 + Math.Exp(-(b + v))));
            Assert.Equal(target, mean, 9);
        }
    }
}
