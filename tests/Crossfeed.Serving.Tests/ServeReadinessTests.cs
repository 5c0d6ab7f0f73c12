using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Serving.Tests;

/// <summary>/healthz answers at once; /readyz and /v1/rank only once the model is loaded and warmed up.</summary>
public sealed class ServeReadinessTests
{
    private const string Body = """{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" } ] }""";

    [Fact]
    public async Task Readyz_is_503_until_the_model_is_warmed_up_then_200_with_its_version()
    {
        using var gate = new ManualResetEventSlim();
        var ranker = new StandInRanker(StandInRanker.PodcastTasks);
        await using var service = await TestService.StartAsync(TestService.Options(), _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return ranker.Served("v7");
        }, waitReady: false);

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/healthz")).StatusCode);
        var early = await service.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        var rank = await service.RankAsync(Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rank.StatusCode);
        Assert.Equal("1", rank.Headers.GetValues("Retry-After").Single());
        Assert.Equal(0, ranker.Calls);

        gate.Set();
        await service.WaitReadyAsync();
        var ready = await service.Client.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("v7", ready.GetProperty("model_version").GetString());
        Assert.Equal(1, ranker.Calls); // the warm-up went through the ranker before readiness
        Assert.Equal(HttpStatusCode.OK, (await service.RankAsync(Body)).StatusCode);
    }

    [Fact]
    public async Task A_first_bundle_that_is_refused_stops_the_host_and_says_why()
    {
        await using var service = await TestService.StartAsync(TestService.Options(),
            dir => throw new BadInputException($"{dir}/weights.bin: checksum does not match the manifest"), waitReady: false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Crossfeed.Serving.ServeHost.StartupFailure(service.App) is null && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        Assert.Contains("weights.bin: checksum does not match", Crossfeed.Serving.ServeHost.StartupFailure(service.App), StringComparison.Ordinal);
    }
}
