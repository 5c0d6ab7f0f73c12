using System.Diagnostics;
using System.Text.Json;
using System.Threading.RateLimiting;
using Crossfeed.Core;
using Crossfeed.Serving;
using TorchSharp;

namespace Crossfeed.Performance;

/// <summary>
/// The HTTP service's work without HTTP: one request body (the JSON a client posts to <c>/v1/rank</c>) ranked
/// by the same <see cref="RankService"/> on the same bundle and ranker <c>serve</c> uses, by
/// <c>concurrency</c> callers in a closed loop for a fixed time. Its p50 is the denominator of the HTTP load
/// run's overhead ratio (bench/http-load.sh runs both with the same body and concurrency).
/// </summary>
public static class RankBenchmark
{
    /// <param name="warmUp">
    /// The closed loop runs this long before the timed run, untimed, as bench/http-load.sh warms the server with
    /// wrk: both sides of the ratio are measured after the JIT has compiled their hot code at its final tier.
    /// </param>
    public static RankBenchResult Run(string bundleDir, string requestPath, int concurrency, TimeSpan duration, TimeSpan warmUp, int threadsPerRequest, TextWriter log)
    {
        if (!File.Exists(requestPath)) throw new BadInputException($"--request: {requestPath}: no such file");
        RankRequest request;
        try
        {
            request = JsonSerializer.Deserialize<RankRequest>(File.ReadAllText(requestPath), ServeHost.Json)
                      ?? throw new BadInputException($"--request: {requestPath}: the body is JSON null");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"--request: {requestPath}: not a ranking request ({e.Message})");
        }
        var options = ServeOptions.Create(bundleDir, urls: null, apiKey: null, maxCandidates: Math.Max(1, request.Candidates?.Count ?? 1),
            maxConcurrency: null, queue: concurrency, timeoutMs: 600_000, maxBodyBytes: long.MaxValue, objective: null,
            threads: threadsPerRequest, watch: false);
        torch.set_num_threads(threadsPerRequest); // as serve sets it
        using var holder = new ModelHolder();
        log.WriteLine($"bench rank: loading {options.ModelDir}...");
        holder.Swap(ServedModel.LoadBundle(options.ModelDir, ServingWiring.Ranker(options.CandidateCache)));
        var service = new RankService(options, new ServingMetrics());
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        async Task Once()
        {
            using var permit = await limiter.AcquireAsync();
            if (!permit.IsAcquired) throw new InvalidOperationException("bench rank: the queue was full (it holds every caller)");
            await service.RankAsync(holder.TryAcquire()!, request, CancellationToken.None);
        }

        (double[] Ms, double Seconds) Loop(TimeSpan length)
        {
            var clock = Stopwatch.StartNew();
            var callers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                var ms = new List<double>();
                while (clock.Elapsed < length)
                {
                    var start = clock.Elapsed;
                    await Once();
                    ms.Add((clock.Elapsed - start).TotalMilliseconds);
                }
                return ms;
            })).ToArray();
            return (Task.WhenAll(callers).GetAwaiter().GetResult().SelectMany(m => m).ToArray(), clock.Elapsed.TotalSeconds);
        }

        log.WriteLine($"bench rank: {concurrency} callers, {request.Candidates!.Count} candidates per request, {warmUp.TotalSeconds:F0} s of warm-up...");
        var warm = Loop(warmUp);
        log.WriteLine($"bench rank: warmed up with {warm.Ms.Length} requests; timing {duration.TotalSeconds:F0} s...");
        var (all, seconds) = Loop(duration);
        var latency = ScoreBenchmark.Summarise("in-process RankService", request.Candidates.Count, all);
        return new RankBenchResult(options.ModelDir, concurrency, threadsPerRequest, all.Length, all.Length / seconds, latency.P50Ms, latency.P99Ms);
    }
}
