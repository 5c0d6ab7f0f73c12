namespace Crossfeed.Experiments;

/// <summary>One variant: per metric its AP and slices; train seconds (mean over seeds); an error if it failed.</summary>
public sealed record VariantResult(
    string Name,
    string Description,
    string Kind,
    double TrainSeconds,
    IReadOnlyList<double> TrainSecondsPerSeed,
    IReadOnlyDictionary<string, VariantMetric> Metrics,
    IReadOnlyList<string> Notes,
    string? Error);
