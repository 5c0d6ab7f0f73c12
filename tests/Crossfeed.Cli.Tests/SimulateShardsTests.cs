using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Cli.Tests;

/// <summary>simulate --shards end to end: the option's checks, and the shard folder read back through the dataset's own reader.</summary>
public sealed class SimulateShardsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"crossfeed-shards-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("0", "shards must lie in [1, 56]")]
    [InlineData("-2", "shards must lie in [1, 56]")]
    [InlineData("57", "shards must lie in [1, 56]")]
    public void Shards_outside_one_to_the_days_exit_2_with_one_line_and_write_nothing(string shards, string message)
    {
        var dir = Path.Combine(_root, "bad");
        var (code, _, err) = Cli.Run("simulate", "--out", dir, "--impressions", "20000", "--shards", shards);
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("crossfeed: " + message, line);
        Assert.Contains($"got {shards})", line);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Shards_are_bounded_by_the_days_knob_and_must_be_whole_numbers()
    {
        var dir = Path.Combine(_root, "bad");
        var (code, _, err) = Cli.Run("simulate", "--out", dir, "--impressions", "20000", "--set", "Days=10", "--shards", "11");
        Assert.Equal(2, code);
        Assert.Contains("crossfeed: shards must lie in [1, 10]", err);
        foreach (var bad in new[] { "abc", "2.5", "" })
        {
            (code, _, err) = Cli.Run("simulate", "--out", dir, "--impressions", "20000", "--shards", bad);
            Assert.Equal(2, code);
            Assert.StartsWith($"crossfeed: --shards must be a whole number from 1 to the number of days of the log (got '{bad}')", err);
            Assert.DoesNotContain("System.", err);
        }
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_sharded_world_loads_through_its_dataset_yaml_with_the_rows_of_the_single_file()
    {
        var single = Path.Combine(_root, "single");
        var sharded = Path.Combine(_root, "sharded");
        var (code, _, err) = Cli.Run("simulate", "--out", single, "--impressions", "20000", "--seed", "3");
        Assert.True(code == 0, err);
        (code, var output, err) = Cli.Run("simulate", "--out", sharded, "--impressions", "20000", "--seed", "3", "--shards", "5");
        Assert.True(code == 0, err);
        Assert.Contains($"impression log: 5 Parquet shards in {Path.Combine(sharded, "impressions")}", output);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(sharded, "impressions"), "*.parquet").Length);

        var a = DatasetLoader.Load(DatasetConfigLoader.Load(Path.Combine(single, "dataset.yaml")));
        var b = DatasetLoader.Load(DatasetConfigLoader.Load(Path.Combine(sharded, "dataset.yaml")));
        Assert.Equal(20_000, b.Report.RowsRead);
        Assert.Equal((a.Report.TrainRows, a.Report.ValRows, a.Report.TestRows), (b.Report.TrainRows, b.Report.ValRows, b.Report.TestRows));
        foreach (var split in Enum.GetValues<SplitName>())
        {
            Assert.Equal(a[split].Keys["impression_id"], b[split].Keys["impression_id"]);
            foreach (var (label, values) in a[split].Labels) Assert.Equal(values, b[split].Labels[label]);
            foreach (var (label, values) in a[split].Truth) Assert.Equal(values, b[split].Truth[label]);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }
}
