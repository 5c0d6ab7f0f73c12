namespace Crossfeed.Evaluation;

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
