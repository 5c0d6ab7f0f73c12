namespace Crossfeed.Cli.Tests;

public class PrepareCommandTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    [Fact]
    public void Training_from_the_prepared_cache_gives_the_same_model_as_from_the_input()
    {
        // A copy of the world's log and dataset, so the cache does not change what the other tests read.
        var data = world.Temp("cached-world");
        Directory.CreateDirectory(data);
        foreach (var f in new[] { "impressions.parquet", "dataset.yaml" }) File.Copy(Path.Combine(world.World, f), Path.Combine(data, f));
        var dataset = Path.Combine(data, "dataset.yaml");
        var config = world.QuickConfig("podcast-joint.yaml", steps: 15);

        var plain = world.Temp("plain");
        var (code, stdout, err) = Cli.Run("train", "--config", config, "--data", dataset, "--out", plain);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("from the cache", stdout);
        var unseen = Assert.Single(stdout.Split('\n'), l => l.StartsWith("ids the training vocabulary does not know", StringComparison.Ordinal));

        (code, stdout, err) = Cli.Run("prepare", "--data", dataset);
        Assert.True(code == 0, err);
        Assert.Contains(".crossfeed-cache", stdout);

        var cached = world.Temp("cached");
        (code, stdout, err) = Cli.Run("train", "--config", config, "--data", dataset, "--out", cached);
        Assert.True(code == 0, err);
        Assert.Contains("data: from the cache", stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "weights.bin")), File.ReadAllBytes(Path.Combine(cached, "weights.bin")));
        Assert.Equal(File.ReadAllText(Path.Combine(plain, "preprocessor.json")), File.ReadAllText(Path.Combine(cached, "preprocessor.json")));

        // Out of core: batches read block by block from the cache; this world's sources each fit one buffer, so the
        // batches, and the weights, are those of training in memory.
        var streamed = world.Temp("streamed");
        (code, stdout, err) = Cli.Run("train", "--config", config, "--data", dataset, "--out", streamed, "--out-of-core");
        Assert.True(code == 0, err);
        Assert.Contains("data: out of core from the cache", stdout);
        // The OOV shares are counted from the cache's blocks (all of them: each split is under the sample's size).
        Assert.Contains(unseen, stdout.Split('\n'));
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain, "weights.bin")), File.ReadAllBytes(Path.Combine(streamed, "weights.bin")));

        // Rewriting the log (same bytes, new time) makes the cache stale: the next command says so and reads the input.
        File.SetLastWriteTimeUtc(Path.Combine(data, "impressions.parquet"), DateTime.UtcNow.AddMinutes(1));
        (code, stdout, err) = Cli.Run("calibrate", "--model", cached, "--data", dataset);
        Assert.True(code == 0, err);
        Assert.Contains("is stale", stdout);
    }

    [Fact]
    public void Training_out_of_core_without_a_prepared_cache_is_refused_naming_prepare()
    {
        var data = world.Temp("uncached-world");
        Directory.CreateDirectory(data);
        foreach (var f in new[] { "impressions.parquet", "dataset.yaml" }) File.Copy(Path.Combine(world.World, f), Path.Combine(data, f));
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 2), "--data", Path.Combine(data, "dataset.yaml"),
            "--out", world.Temp("never"), "--out-of-core");
        Assert.Equal(2, code);
        Assert.Contains("crossfeed prepare --data", err);
        Assert.Single(err.Trim().Split('\n'));
    }
}
