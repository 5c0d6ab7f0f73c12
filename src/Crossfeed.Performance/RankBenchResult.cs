namespace Crossfeed.Performance;

/// <summary>In-process ranking under a closed loop of <see cref="Concurrency"/> callers: throughput and latency in milliseconds.</summary>
public sealed record RankBenchResult(string Bundle, int Concurrency, int ThreadsPerRequest, int Requests, double RequestsPerSecond, double P50Ms, double P99Ms);
