using Crossfeed.Core;

namespace Crossfeed.Serving;

/// <summary>
/// How <c>serve</c> runs. Built by <see cref="Create"/>, which validates every value and names the option.
/// </summary>
public sealed record ServeOptions
{
    public required string ModelDir { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:8080";
    public string? ApiKey { get; init; }
    public int MaxCandidates { get; init; } = 1000;
    public int MaxConcurrency { get; init; } = DefaultConcurrency(1);
    public int QueueLimit { get; init; } = DefaultConcurrency(1);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;
    public Objective Objective { get; init; } = Objective.Default;
    public int ThreadsPerRequest { get; init; } = 1;
    public bool WatchBundle { get; init; } = true;
    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Candidates whose encoder output the ranker keeps across requests (see <see cref="Training.Ranking.CandidateCache"/>); 0 keeps none.</summary>
    public int CandidateCache { get; init; } = DefaultCandidateCache;

    /// <summary>50,000 candidates: rows of 14 MB for podcast-joint (70 floats each; by arithmetic), plus their keys.</summary>
    public const int DefaultCandidateCache = 50_000;

    /// <summary>
    /// Requests scored at once: the cores divided by torch's intra-op threads per request, so that
    /// concurrency x threads never oversubscribes the machine.
    /// </summary>
    public static int DefaultConcurrency(int threadsPerRequest) => Math.Max(1, Environment.ProcessorCount / Math.Max(1, threadsPerRequest));

    /// <summary>Options from the command line; null arguments take the defaults.</summary>
    public static ServeOptions Create(string modelDir, string? urls, string? apiKey, int maxCandidates, int? maxConcurrency, int? queue,
                                      int timeoutMs, long maxBodyBytes, string? objective, int threads, bool watch, int candidateCache = DefaultCandidateCache)
    {
        if (!Directory.Exists(modelDir)) throw new BadInputException($"--model: {modelDir}: no such bundle folder");
        Positive("--max-candidates", maxCandidates);
        Positive("--timeout-ms", timeoutMs);
        Positive("--max-body-bytes", maxBodyBytes);
        Positive("--threads", threads);
        if (maxConcurrency is { } c) Positive("--max-concurrency", c);
        if (candidateCache < 0) throw new BadInputException($"--candidate-cache: must be 0 (off) or more, got {candidateCache}");
        if (queue is < 0) throw new BadInputException($"--queue: must be 0 or more, got {queue}");
        if (apiKey is { Length: 0 }) throw new BadInputException("--api-key: must not be empty");
        var concurrency = maxConcurrency ?? DefaultConcurrency(threads);
        return new ServeOptions
        {
            ModelDir = Path.GetFullPath(modelDir),
            Urls = urls ?? "http://127.0.0.1:8080",
            ApiKey = apiKey,
            MaxCandidates = maxCandidates,
            MaxConcurrency = concurrency,
            QueueLimit = queue ?? concurrency,
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
            MaxBodyBytes = maxBodyBytes,
            Objective = Objective.Parse(objective),
            ThreadsPerRequest = threads,
            WatchBundle = watch,
            CandidateCache = candidateCache,
        };
    }

    private static void Positive(string option, long value)
    {
        if (value < 1) throw new BadInputException($"{option}: must be at least 1, got {value}");
    }
}
