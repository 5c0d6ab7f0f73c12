using Crossfeed.Core;

namespace Crossfeed.Simulation.Tests;

/// <summary>The log written as shards of whole days (simulate --shards): same rows, whole days per file, atomic folder.</summary>
[Collection(WorldsCollection.Name)]
public sealed class ShardTests(Worlds worlds)
{
    private static readonly string[] TableFiles =
        ["campaigns.parquet", "creatives.parquet", "show_days.parquet", "shows.parquet", "users.parquet", "world.json"];

    [Fact]
    public void Shards_read_in_name_order_hold_exactly_the_rows_of_the_single_file()
    {
        // The unsharded reference is the shared world; the sharded run uses its config and seed.
        const int shards = 4;
        var (summary, dir) = Simulate(worlds.PodcastConfig, shards);
        var parts = ShardPaths(dir);
        Assert.Equal(Enumerable.Range(0, shards).Select(k => $"part-{k:D5}.parquet"), parts.Select(Path.GetFileName));
        Assert.Equal(parts.Select(p => Path.Combine("impressions", Path.GetFileName(p))), summary.Files.Where(f => f.StartsWith("impressions", StringComparison.Ordinal)));
        AssertSameRows(worlds.PodcastRows, parts.Select(ParquetTable.Read).ToList());

        // The world's other tables are those of the unsharded run, byte for byte.
        foreach (var file in TableFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(worlds.PodcastDir, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, file))), $"{file} differs from the unsharded run");
        Assert.False(File.Exists(Path.Combine(dir, "impressions.parquet")));
    }

    [Fact]
    public void One_shard_per_day_splits_the_camoe_log_at_day_boundaries()
    {
        var config = worlds.CamoeConfig;
        var (_, dir) = Simulate(config, config.Days);
        var parts = ShardPaths(dir).Select(ParquetTable.Read).ToList();
        Assert.Equal(config.Days, parts.Count);
        for (int d = 0; d < config.Days; d++) Assert.All(parts[d].Get<int>("day"), day => Assert.Equal(d, day));
        AssertSameRows(worlds.CamoeRows, parts);
    }

    [Fact]
    public void Dataset_yaml_reads_the_shard_folder_and_says_so()
    {
        var (_, dir) = Simulate(WorldConfig.ForScenario(Scenario.Podcast, 20_000, 4), 3);
        var path = Path.Combine(dir, "dataset.yaml");
        var ds = DatasetConfigLoader.Load(path);
        Assert.Equal(Path.Combine(dir, "impressions"), ds.Input.Path!.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Equal(InputFormat.Parquet, ds.Input.Format);
        Assert.Contains("in 3 Parquet shards of whole days", File.ReadLines(path).First());
    }

    [Fact]
    public void Shard_days_are_contiguous_and_each_shard_is_within_a_day_of_an_equal_share()
    {
        var config = new WorldConfig();
        var counts = Simulator.DayCounts(config);
        var dayStart = new long[counts.Length + 1];
        for (int d = 0; d < counts.Length; d++) dayStart[d + 1] = dayStart[d] + counts[d];
        for (int shards = 1; shards <= config.Days; shards++)
        {
            var first = ImpressionWriter.ShardDays(dayStart, shards);
            Assert.Equal(shards + 1, first.Length);
            Assert.Equal(0, first[0]);
            Assert.Equal(config.Days, first[shards]);
            double share = (double)config.Impressions / shards;
            for (int k = 0; k < shards; k++)
            {
                Assert.True(first[k + 1] > first[k], $"{shards} shards: shard {k} has no day");
                long rows = dayStart[first[k + 1]] - dayStart[first[k]];
                Assert.True(Math.Abs(rows - share) <= counts.Max(), $"{shards} shards: shard {k} has {rows:N0} rows, an equal share is {share:N0}");
            }
        }
        // 56 days in 20 shards: 2 or 3 days each, never 1 and 4.
        var twenty = ImpressionWriter.ShardDays(dayStart, 20);
        Assert.All(Enumerable.Range(0, 20), k => Assert.InRange(twenty[k + 1] - twenty[k], 2, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(9)]
    public void Shards_outside_one_to_the_days_are_refused_before_anything_is_written(int shards)
    {
        var dir = worlds.NewDir();
        var e = Assert.Throws<BadInputException>(() => Simulator.Run(WorldConfig.ForScenario(Scenario.Podcast, 20_000, 1) with { Days = 8 }, dir, shards));
        Assert.StartsWith("shards must lie in [1, 8]", e.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Cancelled_sharded_run_leaves_no_shard_folder_and_no_temporary()
    {
        var dir = worlds.NewDir();
        using var cts = new CancellationTokenSource();
        // Cancel once the first shard is written: the others are not, and the folder must not appear.
        var progress = new Inline(p =>
        {
            if (p > 0.75) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Simulator.Run(WorldConfig.ForScenario(Scenario.Podcast, 30_000, 2), dir, 5, progress, cts.Token));
        var left = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(left, f => f!.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.DoesNotContain("impressions", left);
        Assert.DoesNotContain("dataset.yaml", left);
    }

    [Fact]
    public void Rerun_with_the_other_layout_leaves_one_log()
    {
        var dir = worlds.NewDir();
        var config = WorldConfig.ForScenario(Scenario.Podcast, 20_000, 9);
        Simulator.Run(config, dir, 2);
        Simulator.Run(config, dir);
        Assert.False(Directory.Exists(Path.Combine(dir, "impressions")));
        Assert.True(File.Exists(Path.Combine(dir, "impressions.parquet")));
        Simulator.Run(config, dir, 3);
        Assert.False(File.Exists(Path.Combine(dir, "impressions.parquet")));
        Assert.Equal(3, ShardPaths(dir).Count);
        Assert.Equal(TableFiles.Append("dataset.yaml").Order(StringComparer.Ordinal), Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["impressions"], Directory.GetDirectories(dir).Select(Path.GetFileName));
    }

    private (SimulationSummary Summary, string Dir) Simulate(WorldConfig config, int shards)
    {
        var dir = worlds.NewDir();
        return (Simulator.Run(config, dir, shards), dir);
    }

    /// <summary>The shard files in ordinal name order, the order a folder input reads them in.</summary>
    private static List<string> ShardPaths(string dir) =>
        Directory.GetFiles(Path.Combine(dir, "impressions")).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every column of every row: the shards concatenated equal the single file (floats bit for bit).</summary>
    private static void AssertSameRows(ParquetTable single, IReadOnlyList<ParquetTable> shards)
    {
        Assert.Equal(single.Rows, shards.Sum(s => s.Rows));
        foreach (var shard in shards) Assert.Equal(single.Names, shard.Names);
        foreach (var name in single.Names)
        {
            var whole = single.Columns[name];
            int at = 0;
            foreach (var shard in shards)
            {
                var part = shard.Columns[name];
                var expected = Array.CreateInstance(whole.GetType().GetElementType()!, part.Length);
                Array.Copy(whole, at, expected, 0, part.Length);
                Assert.True(ParquetTable.DeepEqual(expected, part), $"column {name}: rows {at:N0}.. of {Path.GetFileName(shard.Path)} differ from the single file");
                at += part.Length;
            }
        }
    }

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
