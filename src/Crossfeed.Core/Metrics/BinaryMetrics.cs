namespace Crossfeed.Core.Metrics;

/// <summary>
/// Binary classification metrics on plain arrays (scores, 0/1 labels, NaN labels skipped, optional
/// <see cref="RowWeights"/>): one call, one metric. Each sorts once through <see cref="RankedRows"/>;
/// to compute several metrics or many resamples of one score vector, build a <see cref="RankedRows"/> once.
/// A NaN or infinite score throws an <see cref="ArgumentException"/> naming the metric and the row.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>Step-wise AP over distinct thresholds (scikit-learn's definition; equal scores form one step). Null without a positive.</summary>
    public static double? AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default) =>
        RankedRows.Of(scores, labels, "average precision").AveragePrecision(weights);

    /// <summary>ROC-AUC; ties count one half. Null when a class is missing.</summary>
    public static double? RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default) =>
        RankedRows.Of(scores, labels, "ROC-AUC").RocAuc(weights);

    /// <summary>Mean binary cross-entropy with probabilities clipped to [1e-7, 1 - 1e-7]; null with no rows.</summary>
    public static double? LogLoss(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default) =>
        RankedRows.Of(scores, labels, "log loss").LogLoss(weights);

    /// <summary>Expected calibration error over 15 equal-width bins (or equal-mass bins); null with no rows.</summary>
    public static double? Ece(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default, int bins = 15, bool equalMass = false) =>
        RankedRows.Of(scores, labels, "ECE").Ece(weights, bins, equalMass);

    /// <summary>Reliability curve (see <see cref="RankedRows.Reliability"/>).</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default,
                                                            int bins = 15, bool equalMass = false) =>
        RankedRows.Of(scores, labels, "reliability curve").Reliability(weights, bins, equalMass);

    /// <summary>Precision and recall at each distinct threshold, from the highest score down (for PR plots).</summary>
    public static (double[] Precision, double[] Recall) PrecisionRecall(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, RowWeights weights = default) =>
        RankedRows.Of(scores, labels, "precision-recall curve").PrecisionRecall(weights);
}
