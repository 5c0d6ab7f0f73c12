using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crossfeed.Serving.Tests;

/// <summary>POST /admin/reload with stand-in models: swaps between requests, refuses what it cannot serve.</summary>
public sealed class ReloadTests
{
    private const string Body = """{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" } ] }""";

    [Fact]
    public async Task A_request_in_flight_finishes_on_its_model_and_the_next_gets_the_new_one()
    {
        var slow = new StandInRanker(StandInRanker.PodcastTasks);
        var fresh = new StandInRanker(StandInRanker.PodcastTasks);
        var loads = 0;
        await using var service = await TestService.StartAsync(TestService.Options(),
            _ => Interlocked.Increment(ref loads) == 1 ? slow.Served("v1") : fresh.Served("v2"));
        using var gate = new ManualResetEventSlim();
        slow.Gate = gate; // after the warm-up

        var inFlight = service.RankAsync(Body);
        while (slow.Calls < 2) await Task.Delay(10);
        var reload = await service.Client.PostAsync("/admin/reload", null);
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Equal("v2", (await reload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model_version").GetString());
        Assert.False(slow.Disposed);
        gate.Set();

        var first = await (await inFlight).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v1", first.GetProperty("model_version").GetString());
        var second = await (await service.RankAsync(Body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v2", second.GetProperty("model_version").GetString());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!slow.Disposed && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10); // released as the scoring task ends
        Assert.True(slow.Disposed);
    }

    [Fact]
    public async Task A_model_the_objective_cannot_use_is_refused_counted_and_the_current_one_keeps_serving()
    {
        var loads = 0;
        var good = new StandInRanker(StandInRanker.PodcastTasks);
        var lacking = new StandInRanker([("click", ["promotion", "ad"])]);
        await using var service = await TestService.StartAsync(TestService.Options() with { Objective = Objective.Parse("ad_stream") },
            _ => Interlocked.Increment(ref loads) == 1 ? good.Served("v1") : lacking.Served("v2"));

        var reload = await service.Client.PostAsync("/admin/reload", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        var problem = await TestService.ProblemAsync(reload);
        Assert.Contains("task 'ad_stream' is not in model", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("v1", problem.GetProperty("model_version").GetString());
        Assert.True(lacking.Disposed);
        Assert.Equal(1, await service.MetricAsync("crossfeed_model_reloads_total{result=\"refused\"}"));
        Assert.Equal(1, await service.MetricAsync("crossfeed_model_reloads_total{result=\"accepted\"}"));
        Assert.Equal(1, await service.MetricAsync("crossfeed_model_info{name=\"stand-in\",version=\"v1\"}"));
        var answer = await (await service.RankAsync(Body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v1", answer.GetProperty("model_version").GetString());
    }
}
