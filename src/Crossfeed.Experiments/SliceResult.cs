namespace Crossfeed.Experiments;

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
