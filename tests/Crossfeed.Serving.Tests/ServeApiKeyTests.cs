using System.Net;

namespace Crossfeed.Serving.Tests;

/// <summary>With a key set, /v1/* and /admin/* need it; probes and the scraper do not.</summary>
public sealed class ServeApiKeyTests : IAsyncLifetime
{
    private const string Body = """{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" } ] }""";
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(TestService.Options() with { ApiKey = "s3cret" }, _ => new StandInRanker(StandInRanker.PodcastTasks).Served());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private async Task<HttpResponseMessage> Send(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await _service.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/v1/rank", null, "X-Api-Key: header is missing")]
    [InlineData("/v1/rank", "S3CRET", "X-Api-Key: does not match the server's key")]
    [InlineData("/admin/reload", null, "X-Api-Key: header is missing")]
    public async Task A_missing_or_wrong_key_is_a_401_problem(string path, string? key, string detail)
    {
        var response = await Send(path, key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(detail, (await TestService.ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_right_key_is_let_through() =>
        Assert.Equal(HttpStatusCode.OK, (await Send("/v1/rank", "s3cret")).StatusCode);

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_metrics_and_the_document_stay_open(string path) =>
        Assert.Equal(HttpStatusCode.OK, (await _service.Client.GetAsync(path)).StatusCode);
}
