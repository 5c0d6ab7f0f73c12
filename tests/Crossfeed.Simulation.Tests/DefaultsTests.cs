namespace Crossfeed.Simulation.Tests;

/// <summary>The required figures of the default world (1.5M impressions), from its summary. Its generation time is a benchmark figure (docs/simulator.md, "Timing"), not a test: shared machines are too noisy for wall-clock assertions.</summary>
[Collection(WorldsCollection.Name)]
public sealed class DefaultsTests(Worlds worlds)
{
    [Fact]
    public void Default_world_has_the_required_shape()
    {
        var (s, _) = worlds.Simulate(new WorldConfig());
        Assert.Equal(1_500_000, s.Impressions);
        Assert.InRange(s.AdsPerPromotion, 2.8, 3.2);
        Assert.True(s.Rate("stream", "ad")!.Rate < s.Rate("stream", "promotion")!.Rate / 4);
        Assert.InRange(s.Rate("stream", "ad")!.Rate, 0.005, 0.02);
        Assert.InRange(s.Rate("stream", "promotion")!.Rate, 0.08, 0.20);
        Assert.True(s.NewShowShare >= 0.2);
        Assert.All(s.ByTier, n => Assert.True(n > 0));
        Assert.True(s.LessStreamedAdShareTest >= 0.3);
        Assert.True(s.ByModality["audio"] > 6 * s.ByModality["video"]);
    }
}
