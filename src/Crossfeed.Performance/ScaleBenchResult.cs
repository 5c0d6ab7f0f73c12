namespace Crossfeed.Performance;

/// <summary>One world size of <see cref="ScaleBenchmark"/>: times, rates and peak resident memory (bytes) of each step; null where not measured at that size.</summary>
public sealed record ScaleBenchCase(
    long Impressions,
    int Shards,
    double? SimulateSeconds,
    long? SimulatePeakBytes,
    long InputBytes,
    double PrepareSeconds,
    double PrepareRowsPerSecond,
    long PreparePeakBytes,
    long CacheBytes,
    double DuckDbScanSeconds,
    double DuckDbRowsPerSecond,
    double? ParquetLoadSeconds,
    double? CacheInMemoryLoadSeconds,
    double WarmStartSeconds,
    double OutOfCoreExamplesPerSecond,
    double? InMemoryExamplesPerSecond,
    int TimedSteps,
    long EpochSteps,
    double EpochSeconds,
    long EpochPeakBytes);

/// <summary>What `bench scale` measured, with the machine's load when it ran.</summary>
public sealed record ScaleBenchResult(string Config, int BatchSize, int Threads, long MemoryBytes, string LoadAverage, IReadOnlyList<ScaleBenchCase> Cases);
