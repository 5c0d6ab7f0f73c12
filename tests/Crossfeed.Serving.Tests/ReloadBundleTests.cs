using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Crossfeed.Training;

namespace Crossfeed.Serving.Tests;

/// <summary>Reload of real bundles on disk: verified before the swap, watched, versioned by the manifest's SHA-256.</summary>
[Collection(ServeBundleCollection.Name)]
public sealed class ReloadBundleTests(ServeBundleFixture bundle)
{
    private const string Body = """
        { "user": { "id": "17", "features": { "country": "SE" } },
          "context": { "hour": 20, "surface": "home" },
          "candidates": [ { "id": "p", "source": "promotion", "show_id": "3" },
                          { "id": "a", "source": "ad", "show_id": "5", "creative_id": "2", "campaign_id": "1" } ] }
        """;

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    private static async Task<JsonElement> Ready(TestService service) => await service.Client.GetFromJsonAsync<JsonElement>("/readyz");

    [Fact]
    public async Task A_corrupt_bundle_is_refused_while_requests_run_and_not_one_request_fails()
    {
        var dir = bundle.Copy();
        var options = TestService.Options(dir) with { WatchBundle = true, WatchDebounce = TimeSpan.FromMilliseconds(200) };
        await using var service = await TestService.StartAsync(options, ServeBundleFixture.Loader, kestrel: true);
        var version = (await Ready(service)).GetProperty("model_version").GetString();

        var (ok, failed) = (0, 0);
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await service.RankAsync(Body);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref ok : ref failed);
            }
        })).ToArray();
        await Task.Delay(200);

        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var reload = await service.Client.PostAsync("/admin/reload", null);
        await Task.Delay(600); // the watcher's reload (debounced) is refused too
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        Assert.Contains("weights.bin: checksum does not match the manifest", (await TestService.ProblemAsync(reload)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, failed);
        Assert.True(ok > 0);
        Assert.InRange(await service.MetricAsync("crossfeed_model_reloads_total{result=\"refused\"}"), 1, 10);
        Assert.Equal(version, (await Ready(service)).GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task The_version_is_the_manifests_sha256_and_a_recalibrated_bundle_is_picked_up_by_the_watcher()
    {
        var dir = bundle.Copy();
        var options = TestService.Options(dir) with { WatchBundle = true, WatchDebounce = TimeSpan.FromMilliseconds(200) };
        await using var service = await TestService.StartAsync(options, ServeBundleFixture.Loader);
        var manifest = Path.Combine(dir, "manifest.json");
        var ready = await Ready(service);
        Assert.Equal(Sha256(manifest), ready.GetProperty("model_version").GetString());
        Assert.Equal("podcast-joint", ready.GetProperty("model_name").GetString());

        Bundle.WriteCalibration(dir, [1.5f, 1.2f, 1f, 1f, 1f]);
        var recalibrated = Sha256(manifest);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Ready(service)).GetProperty("model_version").GetString() != recalibrated && clock.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);
        Assert.Equal(recalibrated, (await Ready(service)).GetProperty("model_version").GetString());
        Assert.Equal(2, await service.MetricAsync("crossfeed_model_reloads_total{result=\"accepted\"}"));
    }

    [Fact]
    public async Task A_loaded_bundle_answers_with_its_name_version_and_the_tasks_each_source_admits()
    {
        await using var service = await TestService.StartAsync(TestService.Options(bundle.Bundle), ServeBundleFixture.Loader);
        var response = await service.RankAsync(Body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Sha256(Path.Combine(bundle.Bundle, "manifest.json")), body.GetProperty("model_version").GetString());
        var byId = body.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!,
            c => c.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));
        Assert.False(byId["a"].ContainsKey("promo_stream"));
        Assert.True(byId["a"].ContainsKey("ad_stream"));
        Assert.False(byId["p"].ContainsKey("ad_stream"));
        Assert.True(byId["p"].ContainsKey("promo_stream"));
        Assert.All(byId.Values.SelectMany(p => p.Values), p => Assert.InRange(p, 0.0, 1.0));
    }
}
