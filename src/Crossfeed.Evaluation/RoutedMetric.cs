namespace Crossfeed.Evaluation;

/// <summary>A label on one source's rows scored by several scoped heads, each row by the head whose scope admits it.</summary>
public sealed record RoutedMetric(IReadOnlyList<string> Heads, MetricSet Metrics);
// ByTier: task -> tier ("0".."7") -> metrics. BySource: source -> task -> metrics (every task on every
// source where its label exists, e.g. the promotion head scored on ads). ByModality/BySlot/ByContentType: task -> value -> metrics
// (ByContentType null without analysis.content_type). Routed: "label@source" -> the scoped heads and
// their combined metrics, for models whose tasks are grouped by slot or content type (null otherwise).
// UncalibratedEce: task -> ECE before temperature scaling (null when the bundle is not calibrated).
// BySourceTier: source -> task -> tier -> metrics (every head on every source, by tier: e.g. the
// promotion head scored on ads per tier, as the paper's per-tier comparison needs).
