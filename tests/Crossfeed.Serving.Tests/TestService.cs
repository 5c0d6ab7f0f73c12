using System.Net.Http.Json;
using System.Text.Json;
using Crossfeed.Serving.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Crossfeed.Serving.Tests;

/// <summary>The service under test: in memory (TestServer) or on Kestrel at a free loopback port, with a client for it.</summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }

    public static ServeOptions Options(string modelDir = "/nonexistent/bundle") => new()
    {
        ModelDir = modelDir,
        Urls = "http://127.0.0.1:0",
        WatchBundle = false,
        MaxConcurrency = 4,
        QueueLimit = 4,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Starts the host and, unless told not to, waits until /readyz says ready.</summary>
    public static async Task<TestService> StartAsync(ServeOptions options, Func<string, ServedModel> load, IFeatureStore? store = null,
                                                     bool kestrel = false, bool waitReady = true)
    {
        var app = ServeHost.Build(options, load, store, b =>
        {
            if (!kestrel) b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        var client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.First()) } : app.GetTestClient();
        var service = new TestService(app, client);
        if (waitReady) await service.WaitReadyAsync();
        return service;
    }

    public async Task WaitReadyAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Client.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"not ready after 60 s: {ServeHost.StartupFailure(App) ?? "no start-up failure"}");
            await Task.Delay(50);
        }
    }

    public Task<HttpResponseMessage> RankAsync(string json) =>
        Client.PostAsync("/v1/rank", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<string> MetricsAsync() => await Client.GetStringAsync("/metrics");

    /// <summary>The value of one series in /metrics, e.g. crossfeed_model_reloads_total{result="refused"}; 0 when absent.</summary>
    public async Task<double> MetricAsync(string series)
    {
        foreach (var line in (await MetricsAsync()).Split('\n'))
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
