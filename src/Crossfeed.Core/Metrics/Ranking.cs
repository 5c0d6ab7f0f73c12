namespace Crossfeed.Core.Metrics;

/// <summary>Ranking metrics on plain arrays. Labels are 0/1; NaN labels are skipped.</summary>
public static class Ranking
{
    /// <summary>
    /// Average Precision as the step-wise sum over distinct score thresholds,
    /// AP = sum_k (R_k - R_{k-1}) P_k, where equal scores form one step (scikit-learn's definition).
    /// Returns null when there is no positive.
    /// </summary>
    public static double? AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var (order, n) = SortedKnown(scores, labels);
        double totalPos = 0;
        for (int i = 0; i < n; i++) totalPos += labels[order[i]];
        if (totalPos == 0) return null;
        double ap = 0, tp = 0, seen = 0, prevRecall = 0;
        int k = 0;
        while (k < n)
        {
            float s = scores[order[k]];
            while (k < n && scores[order[k]] == s)
            {
                tp += labels[order[k]];
                seen++;
                k++;
            }
            double recall = tp / totalPos;
            ap += (recall - prevRecall) * (tp / seen);
            prevRecall = recall;
        }
        return ap;
    }

    /// <summary>ROC-AUC with ties counted one half. Null when a class is missing.</summary>
    public static double? RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var (order, n) = SortedKnown(scores, labels);
        double pos = 0;
        for (int i = 0; i < n; i++) pos += labels[order[i]];
        double neg = n - pos;
        if (pos == 0 || neg == 0) return null;
        // Walk from the highest score down; for each tie group, positives beat all negatives seen below.
        double area = 0, negAbove = 0;
        int k = 0;
        while (k < n)
        {
            float s = scores[order[k]];
            double groupPos = 0, groupNeg = 0;
            while (k < n && scores[order[k]] == s)
            {
                if (labels[order[k]] > 0.5f) groupPos++; else groupNeg++;
                k++;
            }
            // Positives in this group rank above negatives below it (counted later) and tie with groupNeg.
            area += groupPos * (neg - negAbove - groupNeg) + 0.5 * groupPos * groupNeg;
            negAbove += groupNeg;
        }
        return area / (pos * neg);
    }

    /// <summary>Indices of rows with a known label, sorted by descending score (stable).</summary>
    private static (int[] Order, int Count) SortedKnown(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"scores ({scores.Length}) and labels ({labels.Length}) differ in length");
        var idx = new int[scores.Length];
        var keys = new float[scores.Length];
        int n = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            idx[n] = i;
            keys[n] = -scores[i];
            n++;
        }
        Array.Sort(keys, idx, 0, n);
        return (idx, n);
    }
}
