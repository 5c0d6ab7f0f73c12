using Crossfeed.Core.Metrics;

namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// Binary classification metrics on plain arrays: probabilities in [0, 1], labels 0/1 (NaN labels are
/// skipped). Every metric returns null (never NaN) when it is undefined for the rows given.
/// </summary>
public static class Classification
{
    private const double Eps = 1e-7;

    /// <summary>Step-wise AP over distinct thresholds (scikit-learn's definition; equal scores form one step).</summary>
    public static double? AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels) => Ranking.AveragePrecision(scores, labels);

    /// <summary>ROC-AUC; ties count one half.</summary>
    public static double? RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels) => Ranking.RocAuc(scores, labels);

    /// <summary>Mean binary cross-entropy with probabilities clipped to [1e-7, 1 - 1e-7]; null with no rows.</summary>
    public static double? LogLoss(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            var p = Math.Clamp(scores[i], Eps, 1 - Eps);
            sum -= labels[i] > 0.5f ? Math.Log(p) : Math.Log(1 - p);
            n++;
        }
        return n == 0 ? null : sum / n;
    }

    /// <summary>Expected calibration error: sum over bins of |mean p - positive rate| weighted by the bin's share of rows.</summary>
    public static double? Ece(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, int bins = 15, bool equalMass = false)
    {
        var curve = Reliability(scores, labels, bins, equalMass);
        long total = curve.Sum(b => b.Count);
        if (total == 0) return null;
        return curve.Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.FractionPositive)) / total;
    }

    /// <summary>
    /// Reliability curve: equal-width bins on [0, 1] (a score of exactly 1 falls in the last bin), or
    /// equal-mass bins (rows sorted by score, split into bins of equal count; ties may straddle bins).
    /// Empty bins are left out.
    /// </summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, int bins = 15, bool equalMass = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var known = new List<int>(scores.Length);
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsNaN(labels[i])) known.Add(i);
        var sumP = new double[bins];
        var sumY = new double[bins];
        var count = new long[bins];
        if (equalMass)
        {
            var s = scores.ToArray();
            known.Sort((a, b) => s[a].CompareTo(s[b]));
            for (int k = 0; k < known.Count; k++)
            {
                int b = (int)((long)k * bins / known.Count);
                Add(b, known[k], scores, labels);
            }
        }
        else
        {
            foreach (var i in known)
                Add(Math.Min(bins - 1, (int)(scores[i] * bins)), i, scores, labels);
        }
        var result = new List<ReliabilityBin>(bins);
        for (int b = 0; b < bins; b++)
            if (count[b] > 0) result.Add(new ReliabilityBin(sumP[b] / count[b], sumY[b] / count[b], count[b]));
        return result;

        void Add(int b, int i, ReadOnlySpan<float> sc, ReadOnlySpan<float> lb)
        {
            sumP[b] += sc[i];
            sumY[b] += lb[i];
            count[b]++;
        }
    }

    /// <summary>Precision and recall at each distinct threshold, from the highest score down (for PR plots).</summary>
    public static (double[] Precision, double[] Recall) PrecisionRecall(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var idx = new List<int>(scores.Length);
        double positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            idx.Add(i);
            positives += labels[i];
        }
        if (positives == 0) return ([], []);
        var s = scores.ToArray();
        idx.Sort((a, b) => s[b].CompareTo(s[a]));
        var precision = new List<double>();
        var recall = new List<double>();
        double tp = 0, seen = 0;
        for (int k = 0; k < idx.Count;)
        {
            var score = s[idx[k]];
            while (k < idx.Count && s[idx[k]] == score)
            {
                tp += labels[idx[k]];
                seen++;
                k++;
            }
            precision.Add(tp / seen);
            recall.Add(tp / positives);
        }
        return (precision.ToArray(), recall.ToArray());
    }

    /// <summary>
    /// Percentile bootstrap interval of a metric: rows are resampled with replacement (seeded), the
    /// metric recomputed, and the (1 - level)/2 and (1 + level)/2 quantiles returned. Null when the
    /// metric is undefined on more than half of the resamples.
    /// </summary>
    public static (double Low, double High)? BootstrapCi(float[] scores, float[] labels, Func<float[], float[], double?> metric,
                                                        int resamples = 200, double level = 0.95, int seed = 1)
    {
        var rng = new Random(seed);
        int n = scores.Length;
        if (n == 0) return null;
        var values = new List<double>(resamples);
        var s = new float[n];
        var l = new float[n];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < n; i++)
            {
                int j = rng.Next(n);
                s[i] = scores[j];
                l[i] = labels[j];
            }
            if (metric(s, l) is { } v) values.Add(v);
        }
        if (values.Count < resamples / 2) return null;
        values.Sort();
        double Quantile(double q) => values[(int)Math.Clamp(Math.Floor(q * (values.Count - 1) + 0.5), 0, values.Count - 1)];
        return (Quantile((1 - level) / 2), Quantile((1 + level) / 2));
    }

    /// <summary>
    /// Bootstrap interval of AP, fast enough for millions of rows: rows are sorted once, and each
    /// resample gives every row a Poisson(1) count (the Poisson bootstrap, which approximates drawing
    /// n rows with replacement) so AP is one weighted sweep over the sorted rows, tie groups kept whole.
    /// </summary>
    public static (double Low, double High)? BootstrapAveragePrecisionCi(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels,
                                                                        int resamples = 200, double level = 0.95, int seed = 1)
    {
        var order = new List<int>(scores.Length);
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsNaN(labels[i])) order.Add(i);
        if (order.Count == 0) return null;
        var s = scores.ToArray();
        order.Sort((a, b) => s[b].CompareTo(s[a]));
        var sortedScore = order.Select(i => s[i]).ToArray();
        var sortedPositive = new bool[order.Count];
        for (int k = 0; k < order.Count; k++) sortedPositive[k] = labels[order[k]] > 0.5f;

        var rng = new Random(seed);
        var values = new List<double>(resamples);
        var weight = new int[order.Count];
        for (int r = 0; r < resamples; r++)
        {
            double positives = 0;
            for (int k = 0; k < weight.Length; k++)
            {
                weight[k] = Poisson1(rng);
                if (sortedPositive[k]) positives += weight[k];
            }
            if (positives == 0) continue;
            double ap = 0, tp = 0, seen = 0, prevRecall = 0;
            for (int k = 0; k < weight.Length;)
            {
                var score = sortedScore[k];
                while (k < weight.Length && sortedScore[k] == score)
                {
                    seen += weight[k];
                    if (sortedPositive[k]) tp += weight[k];
                    k++;
                }
                if (seen == 0) continue;
                var recall = tp / positives;
                ap += (recall - prevRecall) * (tp / seen);
                prevRecall = recall;
            }
            values.Add(ap);
        }
        if (values.Count < resamples / 2) return null;
        values.Sort();
        double Quantile(double q) => values[(int)Math.Clamp(Math.Floor(q * (values.Count - 1) + 0.5), 0, values.Count - 1)];
        return (Quantile((1 - level) / 2), Quantile((1 + level) / 2));
    }

    /// <summary>A Poisson(1) draw by inversion (mean 1: 0 with p 0.368, 1 with 0.368, 2 with 0.184, ...).</summary>
    private static int Poisson1(Random rng)
    {
        double u = rng.NextDouble(), p = Math.Exp(-1), cumulative = p;
        int k = 0;
        while (u > cumulative && k < 20)
        {
            k++;
            p /= k;
            cumulative += p;
        }
        return k;
    }

    /// <summary>All metrics of one slice. Truth (ground-truth probabilities) gives the oracle AP on the same rows.</summary>
    public static MetricSet Compute(float[] scores, float[] labels, float[]? truth = null, int bootstrapResamples = 0)
    {
        long n = 0, pos = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            n++;
            if (labels[i] > 0.5f) pos++;
        }
        string? note = n == 0 ? "no rows" : pos == 0 ? "no positives: AP and AUC undefined" : pos == n ? "no negatives: AUC undefined" : null;
        if (note is null && pos < MetricSet.FewPositives) note = $"only {pos} positives: unreliable";
        double? oracle = null;
        if (truth is not null && truth.Length == scores.Length && truth.All(t => !float.IsNaN(t)))
            oracle = AveragePrecision(truth, labels);
        var ci = bootstrapResamples > 0 && pos > 0 ? BootstrapAveragePrecisionCi(scores, labels, bootstrapResamples) : null;
        return new MetricSet(n, pos,
            AveragePrecision(scores, labels), RocAuc(scores, labels), LogLoss(scores, labels),
            Ece(scores, labels), Ece(scores, labels, equalMass: true), oracle, ci?.Low, ci?.High, note);
    }
}
