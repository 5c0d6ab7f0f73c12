namespace Crossfeed.Simulation.Tests;

[Collection(WorldsCollection.Name)]
public sealed class OutputTests(Worlds worlds)
{
    private static readonly string[] Expected =
    [
        "campaigns.parquet", "creatives.parquet", "dataset.yaml", "impressions.parquet",
        "show_days.parquet", "shows.parquet", "users.parquet", "world.json",
    ];

    [Fact]
    public void Output_folder_holds_exactly_the_documented_files_and_no_temporary_file()
    {
        var names = Directory.GetFiles(worlds.PodcastDir).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Expected, names);
        Assert.Equal(Expected, worlds.Podcast.Files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Cancelled_run_leaves_no_temporary_and_no_half_written_file()
    {
        var dir = worlds.NewDir();
        using var cts = new CancellationTokenSource();
        // Cancel once the log is generated, while the Parquet files are being written.
        var progress = new Inline(p =>
        {
            if (p >= 0.75) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Simulator.Run(WorldConfig.ForScenario(Scenario.Podcast, 30_000, 2), dir, progress, cts.Token));
        var left = Directory.GetFiles(dir).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(left, f => f!.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.DoesNotContain("impressions.parquet", left);
        Assert.DoesNotContain("dataset.yaml", left);
    }

    [Fact]
    public void Rerun_into_the_same_folder_replaces_the_files()
    {
        var dir = worlds.NewDir();
        var config = WorldConfig.ForScenario(Scenario.Podcast, 20_000, 9);
        Simulator.Run(config, dir);
        var again = Simulator.Run(config with { Seed = 10 }, dir);
        Assert.Equal(Expected, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(10, World.Load(dir).Config.Seed);
        Assert.Equal(20_000, again.Impressions);
    }

    [Fact]
    public void Loading_a_folder_without_a_world_names_the_missing_file()
    {
        var dir = worlds.NewDir();
        Directory.CreateDirectory(dir);
        var e = Assert.Throws<Crossfeed.Core.BadInputException>(() => World.Load(dir));
        Assert.Contains("world.json", e.Message);
    }

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
