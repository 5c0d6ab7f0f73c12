namespace Crossfeed.Simulation.Tests;

[Collection(WorldsCollection.Name)]
public sealed class DeterminismTests(Worlds worlds)
{
    private static readonly string[] TableFiles =
        ["impressions.parquet", "users.parquet", "shows.parquet", "show_days.parquet", "campaigns.parquet", "creatives.parquet"];

    [Fact]
    public void Same_seed_gives_identical_rows()
    {
        var config = WorldConfig.ForScenario(Scenario.Podcast, 30_000, 3);
        var a = worlds.Simulate(config);
        var b = worlds.Simulate(config);
        foreach (var file in TableFiles)
        {
            var x = ParquetTable.Read(Path.Combine(a.Dir, file));
            var y = ParquetTable.Read(Path.Combine(b.Dir, file));
            Assert.Equal(x.Names, y.Names);
            Assert.Equal(x.Rows, y.Rows);
            foreach (var name in x.Names)
                Assert.True(ParquetTable.DeepEqual(x.Columns[name], y.Columns[name]), $"{file}: column {name} differs between two runs with the same seed");
        }
        Assert.Equal(File.ReadAllText(Path.Combine(a.Dir, "world.json")), File.ReadAllText(Path.Combine(b.Dir, "world.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(a.Dir, "dataset.yaml")), File.ReadAllText(Path.Combine(b.Dir, "dataset.yaml")));
    }

    [Fact]
    public void Different_seed_gives_different_rows()
    {
        var a = worlds.Simulate(WorldConfig.ForScenario(Scenario.Podcast, 30_000, 3));
        var b = worlds.Simulate(WorldConfig.ForScenario(Scenario.Podcast, 30_000, 4));
        var x = ParquetTable.Read(Path.Combine(a.Dir, "impressions.parquet"));
        var y = ParquetTable.Read(Path.Combine(b.Dir, "impressions.parquet"));
        Assert.Equal(x.Names, y.Names);
        foreach (var name in new[] { "ts", "user_id", "show_id", "p_stream", "show_embedding" })
            Assert.False(ParquetTable.DeepEqual(x.Columns[name], y.Columns[name]), $"column {name} is the same under two seeds");
    }
}
