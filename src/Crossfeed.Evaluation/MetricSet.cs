namespace Crossfeed.Evaluation;

/// <summary>
/// Metrics of one slice (rows of one task, optionally narrowed to a source, tier, modality...).
/// A metric that cannot be computed (no positives, no negatives) is null and <see cref="Note"/> says why;
/// never NaN.
/// </summary>
public sealed record MetricSet(
    long N,
    long Positives,
    double? Ap,
    double? Auc,
    double? LogLoss,
    double? Ece,
    double? EceEqualMass,
    double? OracleAp,
    double? ApLow,
    double? ApHigh,
    string? Note)
{
    /// <summary>AP as a fraction of the oracle's AP on the same rows (null without ground truth).</summary>
    public double? FractionOfOracle => Ap is { } a && OracleAp is { } o && o > 0 ? a / o : null;

    /// <summary>Fewer positives than this makes a slice's metrics unreliable: flagged, not hidden.</summary>
    public const int FewPositives = 30;

    public bool HasFewPositives => Positives < FewPositives;
}
