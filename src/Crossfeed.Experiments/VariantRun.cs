namespace Crossfeed.Experiments;

/// <summary>
/// One run of a variant: the seed offset (0, 1, ... for multi-seed runs), the data, the metrics with
/// their test rows, the options, a progress callback (fraction within the run, text, worth printing) and
/// the variant's notes for the report.
/// </summary>
public sealed record VariantRun(
    int SeedOffset,
    ExperimentData Data,
    IReadOnlyList<MetricRows> Metrics,
    ExperimentOptions Options,
    Action<double, string, bool> Report,
    ICollection<string> Notes);
