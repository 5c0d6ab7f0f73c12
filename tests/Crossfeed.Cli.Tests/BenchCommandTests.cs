namespace Crossfeed.Cli.Tests;

/// <summary>
/// <c>bench rank</c>, the in-process side of bench/http-load.sh's ratio (warm-up, then timed requests), and the bench
/// commands' bad options, refused before any work.
/// </summary>
public class BenchCommandTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    [Fact]
    public void Bench_rank_warms_up_in_the_closed_loop_then_times_the_services_own_ranking()
    {
        var bundle = world.Temp("bench-rank-bundle");
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 10), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        var body = world.Temp("bench-rank-body") + ".json";
        File.WriteAllText(body, """
            { "user": { "id": "1" }, "context": { "hour": 20, "surface": "home" },
              "candidates": [ { "id": "p", "source": "promotion", "show_id": "3" },
                              { "id": "a", "source": "ad", "show_id": "4", "creative_id": "2", "campaign_id": "1" } ] }
            """);

        (code, var stdout, err) = Cli.Run("bench", "rank", "--model", bundle, "--request", body, "--concurrency", "2", "--duration", "1", "--warmup", "1");

        Assert.True(code == 0, err);
        Assert.Contains("bench rank: 2 callers, 2 candidates per request, 1 s of warm-up", err);
        Assert.Matches(@"bench rank: warmed up with [1-9]\d* requests; timing 1 s", err);
        Assert.Matches(@"^in-process: concurrency 2, [1-9]\d* requests, requests/s [\d.]+, p50 [\d.]+ ms, p99 [\d.]+ ms", stdout);
    }

    [Theory]
    [InlineData("--warmup", "-1", "--warmup must be 0 or more seconds, got -1")]
    [InlineData("--duration", "0", "--duration must be at least 1 second, got 0")]
    [InlineData("--concurrency", "0", "--concurrency must be positive, got 0")]
    public void Bench_rank_refuses_a_bad_option_naming_it(string option, string value, string message)
    {
        var (code, _, err) = Cli.Run("bench", "rank", "--model", world.Root, "--request", world.Dataset, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void Bench_score_refuses_a_world_it_cannot_simulate()
    {
        var (code, _, err) = Cli.Run("bench", "score", "--scenario", "mars");
        Assert.Equal(2, code);
        Assert.Contains("Argument 'mars' not recognized", err);
        Assert.Contains("'camoe'", err);
    }
}
