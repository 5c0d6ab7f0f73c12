using Crossfeed.Core.Metrics;

namespace Crossfeed.Evaluation;

/// <summary>Curves for the plots of one task (on its evaluated rows).</summary>
public sealed record TaskCurves(
    string Task,
    double[] Precision,
    double[] Recall,
    IReadOnlyList<ReliabilityBin> Reliability,
    IReadOnlyList<ReliabilityBin>? ReliabilityUncalibrated);
