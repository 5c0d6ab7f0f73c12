using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Crossfeed.Serving.Tests;

/// <summary>Limits on the real host (Kestrel on a free loopback port), with a stand-in ranker that can be slow or fail.</summary>
public sealed class ServeLimitsTests
{
    private const string Body = """{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" }, { "id": "p", "source": "promotion" } ] }""";

    [Fact]
    public async Task It_listens_on_loopback()
    {
        await using var service = await TestService.StartAsync(TestService.Options(), _ => new StandInRanker(StandInRanker.PodcastTasks).Served(), kestrel: true);
        Assert.Equal(IPAddress.Loopback.ToString(), new Uri(service.App.Urls.Single()).Host);
        Assert.Equal("http://127.0.0.1:8080", new Crossfeed.Serving.ServeOptions { ModelDir = "x" }.Urls);
    }

    [Fact]
    public async Task An_oversize_body_is_a_413_problem()
    {
        await using var service = await TestService.StartAsync(TestService.Options() with { MaxBodyBytes = 2048 },
            _ => new StandInRanker(StandInRanker.PodcastTasks).Served(), kestrel: true);
        var candidates = string.Join(", ", Enumerable.Range(0, 200).Select(i => $$"""{ "id": "c{{i}}", "source": "ad" }"""));
        var response = await service.RankAsync($$"""{ "user": { "id": "u1" }, "candidates": [ {{candidates}} ] }""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await TestService.ProblemAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await service.RankAsync(Body)).StatusCode);
    }

    [Fact]
    public async Task Beyond_the_slots_and_the_queue_requests_get_503_with_retry_after_and_the_service_lives_on()
    {
        var slow = new StandInRanker(StandInRanker.PodcastTasks) { Delay = TimeSpan.FromMilliseconds(800) };
        await using var service = await TestService.StartAsync(TestService.Options() with { MaxConcurrency = 1, QueueLimit = 1 },
            _ => slow.Served(), kestrel: true);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.RankAsync(Body)));

        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.Equal(6, responses.Count(r => r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable));
        Assert.InRange(rejected.Length, 1, 4); // one scoring, one queued: the rest turned away
        Assert.All(rejected, r => Assert.Equal("1", r.Headers.GetValues("Retry-After").Single()));
        Assert.Equal("Overloaded", (await TestService.ProblemAsync(rejected[0])).GetProperty("title").GetString());
        Assert.Equal(rejected.Length, await service.MetricAsync("crossfeed_rank_rejected_total"));
        Assert.Equal(HttpStatusCode.OK, (await service.RankAsync(Body)).StatusCode);
    }

    [Fact]
    public async Task A_client_still_sending_its_body_holds_no_scoring_slot()
    {
        // One slot, no queue: were the slot taken before the body is read, the stalled client would turn every other request away.
        await using var service = await TestService.StartAsync(TestService.Options() with { MaxConcurrency = 1, QueueLimit = 0 },
            _ => new StandInRanker(StandInRanker.PodcastTasks).Served(), kestrel: true);
        var at = new Uri(service.App.Urls.Single());
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(at.Host, at.Port);
        var stream = stalled.GetStream();
        var body = Encoding.UTF8.GetBytes(Body);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/rank HTTP/1.1\r\nHost: {at.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await Task.Delay(300);

        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await service.RankAsync(Body)).StatusCode);

        await stream.WriteAsync(body.AsMemory(body.Length / 2));
        using var reader = new StreamReader(stream);
        Assert.Equal("HTTP/1.1 200 OK", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_body_near_the_size_limit_is_received_whole_before_scoring()
    {
        // The whole body waits unread in Kestrel's buffers until the endpoint parses it: one near the 4 MiB limit must not stall.
        await using var service = await TestService.StartAsync(TestService.Options(), _ => new StandInRanker(StandInRanker.PodcastTasks).Served(), kestrel: true);
        var genre = new string('x', 3_800_000);
        var response = await service.RankAsync($$"""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad", "features": { "genre": "{{genre}}" } } ] }""")
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_request_over_its_time_limit_is_a_504_problem()
    {
        var slow = new StandInRanker(StandInRanker.PodcastTasks) { Delay = TimeSpan.FromSeconds(2) };
        await using var service = await TestService.StartAsync(TestService.Options() with { Timeout = TimeSpan.FromMilliseconds(200) },
            _ => slow.Served(), kestrel: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await service.RankAsync(Body);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("200 ms", (await TestService.ProblemAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await service.MetricAsync("crossfeed_rank_timeouts_total"));
    }

    [Fact]
    public async Task A_failure_inside_is_a_500_problem_without_a_stack_trace()
    {
        var ranker = new StandInRanker(StandInRanker.PodcastTasks);
        await using var service = await TestService.StartAsync(TestService.Options(), _ => ranker.Served(), kestrel: true);
        ranker.Failure = new InvalidOperationException("tensor shape secret-detail");
        var response = await service.RankAsync(Body);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Equal(500, (await TestService.ProblemAsync(response)).GetProperty("status").GetInt32());
        ranker.Failure = null;
        Assert.Equal(HttpStatusCode.OK, (await service.RankAsync(Body)).StatusCode);
    }
}
