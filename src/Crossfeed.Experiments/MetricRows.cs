namespace Crossfeed.Experiments;

/// <summary>A metric and its rows of the test split (indices into the split, the order its scores come in).</summary>
public sealed record MetricRows(ExperimentMetric Metric, int[] Rows);
