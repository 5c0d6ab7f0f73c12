using System.Net.Http.Json;
using System.Text.Json;

namespace Crossfeed.Serving.Tests;

/// <summary>/metrics carries the request, latency, candidate, model and reload series; the OpenAPI document carries examples.</summary>
public sealed class ServeObservabilityTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(TestService.Options(), _ => new StandInRanker(StandInRanker.PodcastTasks).Served("v3"));

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Metrics_count_requests_by_route_and_status_latency_candidates_and_the_model()
    {
        var candidates = string.Join(", ", Enumerable.Range(0, 30).Select(i => $$"""{ "id": "c{{i}}", "source": "ad" }"""));
        await _service.RankAsync($$"""{ "user": { "id": "u1" }, "candidates": [ {{candidates}} ] }""");
        await _service.RankAsync("""{ "user": { "id": "u1" } }""");
        var text = await _service.MetricsAsync();

        Assert.Contains("code=\"200\"", Lines(text, "http_requests_received_total{").Single(l => l.Contains("v1/rank", StringComparison.Ordinal) && l.Contains("code=\"200\"", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Single(Lines(text, "http_requests_received_total{"), l => l.Contains("v1/rank", StringComparison.Ordinal) && l.Contains("code=\"400\"", StringComparison.Ordinal));
        Assert.NotEmpty(Lines(text, "http_request_duration_seconds_bucket{"));
        Assert.Equal(1, await _service.MetricAsync("crossfeed_rank_candidates_bucket{le=\"50\"}") - await _service.MetricAsync("crossfeed_rank_candidates_bucket{le=\"25\"}"));
        Assert.Equal(1, await _service.MetricAsync("crossfeed_model_info{name=\"stand-in\",version=\"v3\"}"));
        Assert.Equal(1, await _service.MetricAsync("crossfeed_model_reloads_total{result=\"accepted\"}"));
        Assert.Equal(0, await _service.MetricAsync("crossfeed_rank_rejected_total"));
        Assert.True(await _service.MetricAsync("process_working_set_bytes") > 0);
    }

    private static string[] Lines(string text, string prefix) => text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task The_openapi_document_has_a_request_and_a_response_example_for_rank()
    {
        var doc = await _service.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var post = doc.GetProperty("paths").GetProperty("/v1/rank").GetProperty("post");
        var request = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("ad", request.GetProperty("candidates")[1].GetProperty("source").GetString());
        var response = post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("podcast-joint", response.GetProperty("model_name").GetString());
        Assert.True(response.GetProperty("candidates")[0].GetProperty("probabilities").TryGetProperty("promo_stream", out _));
    }
}
