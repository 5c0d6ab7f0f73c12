using Crossfeed.Core.Metrics;

namespace Crossfeed.Evaluation.Metrics;

/// <summary>The <see cref="MetricSet"/> of one slice, as `evaluate` reports it (one sort of the scores serves every metric and resample).</summary>
public static class MetricSets
{
    /// <summary>The bootstrap seed `evaluate` uses unless told otherwise.</summary>
    public const int DefaultBootstrapSeed = 1;

    /// <summary>
    /// AP, ROC-AUC, log loss, ECE (equal-width and equal-mass) of probabilities against 0/1 labels (NaN
    /// labels skipped); with <paramref name="truth"/> (ground-truth probabilities) the oracle AP on the same
    /// rows; with resamples, the AP's percentile interval over <see cref="Resampler"/> resamples of the rows.
    /// </summary>
    public static MetricSet Compute(float[] scores, float[] labels, float[]? truth = null, int bootstrapResamples = 0,
                                    int bootstrapSeed = DefaultBootstrapSeed)
    {
        var ranked = RankedRows.Of(scores, labels, "average precision");
        var (weight, positive) = ranked.Totals();
        long n = (long)weight, pos = (long)positive;
        string? note = n == 0 ? "no rows" : pos == 0 ? "no positives: AP and AUC undefined" : pos == n ? "no negatives: AUC undefined" : null;
        if (note is null && pos < MetricSet.FewPositives) note = $"only {pos} positives: unreliable";
        double? oracle = null;
        if (truth is not null && truth.Length == scores.Length && truth.All(t => !float.IsNaN(t)))
            oracle = BinaryMetrics.AveragePrecision(truth, labels);
        (double Low, double High)? ci = null;
        if (bootstrapResamples > 0 && pos > 0)
            ci = PercentileInterval.Of(new SlicedAveragePrecision(ranked, SliceMap.AllOnly(scores.Length)).Bootstrap(bootstrapResamples, bootstrapSeed)[0]);
        return new MetricSet(n, pos, ranked.AveragePrecision(), ranked.RocAuc(), ranked.LogLoss(),
            ranked.Ece(), ranked.Ece(equalMass: true), oracle, ci?.Low, ci?.High, note);
    }
}
