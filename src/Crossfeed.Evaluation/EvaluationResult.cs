using Crossfeed.Core.Metrics;

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

/// <summary>Curves for the plots of one task (on its evaluated rows).</summary>
public sealed record TaskCurves(
    string Task,
    double[] Precision,
    double[] Recall,
    IReadOnlyList<ReliabilityBin> Reliability,
    IReadOnlyList<ReliabilityBin>? ReliabilityUncalibrated);

/// <summary>Everything `evaluate` computes for one model on one split; rendered to metrics.json, report.md and report.html.</summary>
public sealed record EvaluationResult(
    string Model,
    string Dataset,
    string Split,
    bool Calibrated,
    IReadOnlyList<string> TaskOrder,
    IReadOnlyDictionary<string, MetricSet> Tasks,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> ByTier,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> BySource,
    IReadOnlyDictionary<string, MetricSet> LessStreamed,
    IReadOnlyDictionary<string, MetricSet> RestStreamed,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> ByModality,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> BySlot,
    IReadOnlyDictionary<string, TaskCurves> Curves,
    IReadOnlyDictionary<string, double>? UncalibratedEce,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>>>? BySourceTier = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>>? ByContentType = null,
    IReadOnlyDictionary<string, RoutedMetric>? Routed = null);

/// <summary>A label on one source's rows scored by several scoped heads, each row by the head whose scope admits it.</summary>
public sealed record RoutedMetric(IReadOnlyList<string> Heads, MetricSet Metrics);
// ByTier: task -> tier ("0".."7") -> metrics. BySource: source -> task -> metrics (every task on every
// source where its label exists, e.g. the promotion head scored on ads). ByModality/BySlot/ByContentType: task -> value -> metrics
// (ByContentType null without analysis.content_type). Routed: "label@source" -> the scoped heads and
// their combined metrics, for models whose tasks are grouped by slot or content type (null otherwise).
// UncalibratedEce: task -> ECE before temperature scaling (null when the bundle is not calibrated).
// BySourceTier: source -> task -> tier -> metrics (every head on every source, by tier: e.g. the
// promotion head scored on ads per tier, as the paper's per-tier comparison needs).
