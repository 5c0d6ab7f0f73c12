namespace Crossfeed.Experiments;

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
