namespace Crossfeed.Experiments;

/// <summary>What a suite run produced; serialised to results.json (snake_case) and rendered to tables.</summary>
public sealed record ExperimentResult(
    string Suite,
    string Description,
    string Dataset,
    string DatasetPath,
    int Seeds,
    bool Quick,
    string CiMethod,
    int BootstrapResamples,
    string Baseline,
    IReadOnlyList<MetricSummary> Metrics,
    IReadOnlyList<VariantResult> Variants,
    IReadOnlyList<string> Notes,
    double TotalSeconds)
{
    public VariantResult? Variant(string name) => Variants.FirstOrDefault(v => v.Name == name);
}

/// <summary>A metric's rows on the test split: how many, positives, base rate, and the oracle AP where the data has truth.</summary>
public sealed record MetricSummary(
    string Name,
    string Label,
    string Source,
    string? Scope,
    string Rows,
    long N,
    long Positives,
    double BaseRate,
    double? OracleAp);

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

/// <summary>
/// A variant on one metric: the head that scored it ("a + b" when rows were routed to narrower heads by
/// their scope; borrowed: built for other rows) and the slices.
/// </summary>
public sealed record VariantMetric(
    string? Head,
    bool BorrowedHead,
    SliceResult? All,
    IReadOnlyDictionary<string, SliceResult> ByTier,
    SliceResult? LessStreamed,
    SliceResult? Rest);

/// <summary>
/// AP on a slice of a metric's rows with its CI, the relative change against the baseline on the same
/// rows (in %, with its CI), the oracle AP and the fraction of it reached. With several seeds, AP is the
/// mean over seeds and <see cref="ApPerSeed"/> lists them.
/// </summary>
public sealed record SliceResult(
    long N,
    long Positives,
    double? Ap,
    double? ApLow,
    double? ApHigh,
    double? RelChangePct,
    double? RelChangeLow,
    double? RelChangeHigh,
    double? OracleAp,
    double? FractionOfOracle,
    IReadOnlyList<double?> ApPerSeed,
    string? Note);
