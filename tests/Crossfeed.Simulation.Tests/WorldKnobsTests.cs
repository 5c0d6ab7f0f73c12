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
