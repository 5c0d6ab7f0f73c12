using Crossfeed.Core;

namespace Crossfeed.Simulation.Tests;

public sealed class WorldKnobsTests
{
    private static readonly WorldConfig Base = WorldConfig.ForScenario(Scenario.Podcast, 200_000, seed: 3);

    [Fact]
    public void Knobs_are_set_by_their_documented_or_snake_case_names_and_a_later_assignment_wins()
    {
        var c = WorldKnobs.Apply(Base, ["AdStreamRate=0.003", "ad_share=0.5", "adsharE=0.6", "TierThresholds=[900000, 90000, 9000, 900, 90, 9, 2]", "AdFollowFromDay=30"]);
        Assert.Equal(0.003, c.AdStreamRate);
        Assert.Equal(0.6, c.AdShare);
        Assert.Equal([900_000L, 90_000, 9_000, 900, 90, 9, 2], c.TierThresholds);
        Assert.Equal(30, c.AdFollowFromDay);
        Assert.Equal(Base with { AdStreamRate = 0.003, AdShare = 0.6, TierThresholds = c.TierThresholds, AdFollowFromDay = 30 }, c);
        Assert.Same(Base, WorldKnobs.Apply(Base, []));
    }

    [Theory]
    [InlineData("AdStreamRat=0.1", "unknown knob 'AdStreamRat'", "AdStreamRate")]
    [InlineData("AdShare", "needs Knob=value", "AdShare")]
    [InlineData("AdShare=lots", "--set AdShare", "type")]
    [InlineData("AdShare=1.5", "AdShare", "[0, 1]")]
    [InlineData("Seed=4", "--set Seed", "--seed")]
    public void Bad_assignments_are_bad_input_naming_the_knob(string assignment, string expected, string detail)
    {
        var e = Assert.Throws<BadInputException>(() => WorldKnobs.Apply(Base, [assignment]));
        Assert.Contains(expected, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void Every_settable_knob_is_documented()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "docs", "simulator.md"))) dir = dir.Parent!;
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "simulator.md"));
        foreach (var name in WorldKnobs.Names)
            Assert.Contains($"`{name}`", doc);
    }
}

public sealed class AdHistoryBoostTests
{
    [Fact]
    public void Ad_history_boost_changes_the_ad_stream_logit_of_heard_shows_only_and_leaves_promotions_alone()
    {
        var config = WorldConfig.ForScenario(Scenario.Podcast, 20_000, seed: 3);
        var plain = WorldBuilder.Build(config);
        var shifted = WorldBuilder.Build(config with { AdHistoryBoost = -2.0 });
        int u = Enumerable.Range(0, plain.UserCount).First(x => plain.UserHistory(x).Length > 0);
        int heard = plain.UserHistory(u)[0];
        int unheard = Enumerable.Range(0, plain.ShowCount).First(s => !plain.UserHistory(u).Contains(s));
        int ad = Enumerable.Range(0, plain.Slots.Count).First(i => plain.Slots[i].Source == Source.Ad);
        int promo = Enumerable.Range(0, plain.Slots.Count).First(i => plain.Slots[i].Source == Source.Promotion);

        double[] Stream(World w, int show, int slot)
        {
            var z = new double[4];
            w.Offsets(u, show, slot, hour: 8, session: 0, creative: -1, listening: -1, exposures: 0, z);
            return z;
        }
        Assert.Equal(Stream(plain, heard, promo), Stream(shifted, heard, promo));
        Assert.Equal(Stream(plain, unheard, ad), Stream(shifted, unheard, ad));
        Assert.True(Stream(shifted, heard, ad)[0] < Stream(plain, heard, ad)[0] - 0.5, "the ad stream logit of a heard show drops");
        Assert.Throws<BadInputException>(() => (config with { AdHistoryBoost = 50 }).Validate());
    }
}
