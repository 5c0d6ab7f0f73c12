namespace Crossfeed.Core.Metrics;

/// <summary>
/// The rows of one score vector that have a label (NaN labels are skipped), sorted once by descending
/// score with equal scores grouped. Every metric is then one O(n) sweep with optional
/// <see cref="RowWeights"/> (indexed by the row's position in the original arrays), so a bootstrap
/// resample costs a sweep, not a sort. Labels are 0/1 (above 0.5 is positive). Metrics that are
/// undefined on the rows given return null, never NaN.
/// </summary>
public sealed class RankedRows
{
    private const double Eps = 1e-7;

    private readonly int[] _rows;
    private readonly float[] _scores;
    private readonly bool[] _positive;
    private readonly int[] _groupEnds;

    private RankedRows(int length, int[] rows, float[] scores, bool[] positive)
    {
        Length = length;
        _rows = rows;
        _scores = scores;
        _positive = positive;
        var ends = new List<int>();
        for (int k = 1; k <= rows.Length; k++)
            if (k == rows.Length || scores[k] != scores[k - 1]) ends.Add(k);
        _groupEnds = ends.ToArray();
    }

    /// <summary>Length of the original arrays (weights are indexed like them).</summary>
    public int Length { get; }

    /// <summary>Rows with a label.</summary>
    public int Count => _rows.Length;

    /// <summary>
    /// Sorts the labelled rows by descending score. A NaN or infinite score throws at once, naming
    /// <paramref name="metric"/> and the row: equal-score grouping is meaningless on it.
    /// </summary>
    public static RankedRows Of(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, string metric)
    {
        CheckInputs(scores, labels, metric);
        var keys = new float[scores.Length];
        var rows = new int[scores.Length];
        int n = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            keys[n] = -scores[i];
            rows[n++] = i;
        }
        Array.Sort(keys, rows, 0, n);
        Array.Resize(ref rows, n);
        var sorted = new float[n];
        var positive = new bool[n];
        for (int k = 0; k < n; k++)
        {
            sorted[k] = scores[rows[k]];
            positive[k] = labels[rows[k]] > 0.5f;
        }
        return new RankedRows(scores.Length, rows, sorted, positive);
    }

    /// <summary>Throws unless scores and labels have the same length and every score is finite.</summary>
    public static void CheckInputs(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, string metric)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{metric}: scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsFinite(scores[i]))
                throw new ArgumentException($"{metric}: the score of row {i} is {scores[i]}; metrics need finite scores");
    }

    /// <summary>The same ranking restricted to the rows <paramref name="keep"/> accepts (by original position); no new sort.</summary>
    public RankedRows Where(Func<int, bool> keep)
    {
        var rows = new List<int>();
        var scores = new List<float>();
        var positive = new List<bool>();
        for (int k = 0; k < _rows.Length; k++)
        {
            if (!keep(_rows[k])) continue;
            rows.Add(_rows[k]);
            scores.Add(_scores[k]);
            positive.Add(_positive[k]);
        }
        return new RankedRows(Length, rows.ToArray(), scores.ToArray(), positive.ToArray());
    }

    /// <summary>Total weight of the rows and of the positive rows.</summary>
    public (double Weight, double Positive) Totals(RowWeights weights = default)
    {
        weights.Check(Length, "totals");
        return Group(0, _rows.Length, weights);
    }

    /// <summary>
    /// Average Precision as the step-wise sum over distinct score thresholds, AP = sum_k (R_k - R_{k-1}) P_k,
    /// equal scores forming one step (scikit-learn's definition). Null when no positive has weight.
    /// </summary>
    public double? AveragePrecision(RowWeights weights = default)
    {
        weights.Check(Length, "average precision");
        var (_, positives) = Group(0, _rows.Length, weights);
        if (positives == 0) return null;
        double ap = 0, tp = 0, seen = 0, prevRecall = 0;
        int start = 0;
        foreach (var end in _groupEnds)
        {
            var (groupWeight, groupPositive) = Group(start, end, weights);
            start = end;
            if (groupWeight == 0) continue;
            tp += groupPositive;
            seen += groupWeight;
            double recall = tp / positives;
            ap += (recall - prevRecall) * (tp / seen);
            prevRecall = recall;
        }
        return ap;
    }

    /// <summary>ROC-AUC, ties counted one half. Null when either class has no weight.</summary>
    public double? RocAuc(RowWeights weights = default)
    {
        weights.Check(Length, "ROC-AUC");
        var (all, pos) = Group(0, _rows.Length, weights);
        double neg = all - pos;
        if (pos == 0 || neg == 0) return null;
        // From the highest score down: a tie group's positives beat every negative below it and tie with its own.
        double area = 0, negAbove = 0;
        int start = 0;
        foreach (var end in _groupEnds)
        {
            var (groupWeight, groupPos) = Group(start, end, weights);
            start = end;
            double groupNeg = groupWeight - groupPos;
            area += groupPos * (neg - negAbove - groupNeg) + 0.5 * groupPos * groupNeg;
            negAbove += groupNeg;
        }
        return area / (pos * neg);
    }

    /// <summary>Precision and recall at each distinct threshold, from the highest score down (empty without a positive).</summary>
    public (double[] Precision, double[] Recall) PrecisionRecall(RowWeights weights = default)
    {
        weights.Check(Length, "precision-recall curve");
        var (_, positives) = Group(0, _rows.Length, weights);
        if (positives == 0) return ([], []);
        var precision = new List<double>();
        var recall = new List<double>();
        double tp = 0, seen = 0;
        int start = 0;
        foreach (var end in _groupEnds)
        {
            var (groupWeight, groupPositive) = Group(start, end, weights);
            start = end;
            if (groupWeight == 0) continue;
            tp += groupPositive;
            seen += groupWeight;
            precision.Add(tp / seen);
            recall.Add(tp / positives);
        }
        return (precision.ToArray(), recall.ToArray());
    }

    /// <summary>Weighted mean binary cross-entropy, probabilities clipped to [1e-7, 1 - 1e-7]; null without weight.</summary>
    public double? LogLoss(RowWeights weights = default)
    {
        weights.Check(Length, "log loss");
        double sum = 0, total = 0;
        for (int k = 0; k < _rows.Length; k++)
        {
            double w = Weight(k, weights);
            if (w == 0) continue;
            var p = Math.Clamp(_scores[k], Eps, 1 - Eps);
            sum -= w * (_positive[k] ? Math.Log(p) : Math.Log(1 - p));
            total += w;
        }
        return total == 0 ? null : sum / total;
    }

    /// <summary>
    /// Reliability curve: equal-width bins on [0, 1] (a score of exactly 1 falls in the last bin), or
    /// equal-mass bins (rows from the lowest score up, a row going to the bin its cumulative weight before
    /// it falls in; ties may straddle bins). Empty bins are left out.
    /// </summary>
    public IReadOnlyList<ReliabilityBin> Reliability(RowWeights weights = default, int bins = 15, bool equalMass = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        weights.Check(Length, "reliability curve");
        var sumP = new double[bins];
        var sumY = new double[bins];
        var mass = new double[bins];
        double total = equalMass ? Group(0, _rows.Length, weights).Weight : 0, before = 0;
        for (int k = _rows.Length - 1; k >= 0; k--)
        {
            double w = Weight(k, weights);
            if (w == 0) continue;
            int b = equalMass ? (int)Math.Min(bins - 1, Math.Floor(before * bins / total)) : Math.Min(bins - 1, (int)(_scores[k] * bins));
            before += w;
            sumP[b] += w * _scores[k];
            if (_positive[k]) sumY[b] += w;
            mass[b] += w;
        }
        var result = new List<ReliabilityBin>(bins);
        for (int b = 0; b < bins; b++)
            if (mass[b] > 0) result.Add(new ReliabilityBin(sumP[b] / mass[b], sumY[b] / mass[b], mass[b]));
        return result;
    }

    /// <summary>Expected calibration error: sum over bins of |mean p - positive rate| weighted by the bin's share of the weight; null without weight.</summary>
    public double? Ece(RowWeights weights = default, int bins = 15, bool equalMass = false)
    {
        var curve = Reliability(weights, bins, equalMass);
        double total = curve.Sum(b => b.Weight);
        if (total == 0) return null;
        return curve.Sum(b => b.Weight * Math.Abs(b.MeanPredicted - b.FractionPositive)) / total;
    }

    private (double Weight, double Positive) Group(int start, int end, RowWeights weights)
    {
        double all = 0, pos = 0;
        for (int k = start; k < end; k++)
        {
            double w = Weight(k, weights);
            all += w;
            if (_positive[k]) pos += w;
        }
        return (all, pos);
    }

    /// <summary>The weight of sorted row k; a negative, NaN or infinite weight throws (checked as the sweeps read it, not in a pass of its own).</summary>
    private double Weight(int k, RowWeights weights)
    {
        double w = weights[_rows[k]];
        if (!(w >= 0) || double.IsPositiveInfinity(w))
            throw new ArgumentException($"the weight of row {_rows[k]} is {w}; weights must be finite and not negative");
        return w;
    }
}
