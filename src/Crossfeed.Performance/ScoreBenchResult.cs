namespace Crossfeed.Performance;

/// <summary>What <see cref="ScoreBenchmark.Run"/> measured, with the conditions it measured them in.</summary>
public sealed record ScoreBenchResult(
    string Config,
    string Architecture,
    int Tasks,
    long Impressions,
    int TrainingSteps,
    IReadOnlyList<ScoreBenchCase> Cases,
    IReadOnlyList<ScoreBenchRatio> Ratios,
    long ResidentBytes,
    long PeakResidentBytes,
    int Threads,
    string LoadAverage);
