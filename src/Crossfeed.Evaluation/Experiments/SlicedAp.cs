namespace Crossfeed.Evaluation.Experiments;

/// <summary>
/// Slices of a metric's rows: slice 0 is every row; then one slice per tier present; then less-streamed
/// shows (streams_30d under the threshold) and the rest. A row is in at most three slices.
/// </summary>
public sealed class SliceMap
{
    public const double LessStreamedThreshold = 5000;

    private SliceMap(string[] names, int[] tierSlice, int[] streamSlice, int[] tiers, int lessSlice)
    {
        Names = names;
        TierSlice = tierSlice;
        StreamSlice = streamSlice;
        Tiers = tiers;
        LessSlice = lessSlice;
    }

    /// <summary>"all", "tier:0".., "less_streamed", "rest".</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Per row: its tier slice, or -1.</summary>
    public int[] TierSlice { get; }

    /// <summary>Per row: the less-streamed or rest slice, or -1 (unknown streams).</summary>
    public int[] StreamSlice { get; }

    /// <summary>Tiers present, in slice order (slice 1 + i is Tiers[i]).</summary>
    public IReadOnlyList<int> Tiers { get; }

    /// <summary>Index of the less-streamed slice (the rest is the next one), or -1 without streams data.</summary>
    public int LessSlice { get; }

    /// <summary>Only the "all" slice.</summary>
    public static SliceMap AllOnly(int rows) => Build(rows, null, null);

    /// <summary>Slices of n rows from per-row tier (integral, NaN when unknown) and 30-day streams (NaN when unknown); null: no such column.</summary>
    public static SliceMap Build(int n, double[]? tier, double[]? streams30d)
    {
        if ((tier is not null && tier.Length != n) || (streams30d is not null && streams30d.Length != n))
            throw new ArgumentException($"tier and streams need {n} values");
        var names = new List<string> { "all" };
        var tiers = tier is null ? [] : tier.Where(t => !double.IsNaN(t)).Select(t => (int)Math.Round(t)).Distinct().Order().ToArray();
        var tierIndex = new Dictionary<int, int>();
        foreach (var t in tiers)
        {
            tierIndex[t] = names.Count;
            names.Add($"tier:{t}");
        }
        int less = -1;
        if (streams30d is not null && streams30d.Any(s => !double.IsNaN(s)))
        {
            less = names.Count;
            names.Add("less_streamed");
            names.Add("rest");
        }
        var tierSlice = new int[n];
        var streamSlice = new int[n];
        for (int i = 0; i < n; i++)
        {
            tierSlice[i] = tier is not null && !double.IsNaN(tier[i]) ? tierIndex[(int)Math.Round(tier[i])] : -1;
            streamSlice[i] = less >= 0 && !double.IsNaN(streams30d![i]) ? (streams30d[i] < LessStreamedThreshold ? less : less + 1) : -1;
        }
        return new SliceMap(names.ToArray(), tierSlice, streamSlice, tiers, less);
    }
}

/// <summary>
/// Average Precision per slice in one pass over rows sorted by score, with integer row weights: weight 1
/// everywhere gives scikit-learn's AP (equal scores form one step); bootstrap multiplicities give the
/// AP of the resampled rows without materialising them, so a resample costs O(n), not a sort.
/// </summary>
public static class SlicedAp
{
    /// <summary>Row indices ordered by descending score (the order ties come in does not matter: equal scores form one step).</summary>
    public static int[] Order(float[] scores)
    {
        var keys = new float[scores.Length];
        var order = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            keys[i] = -scores[i];
            order[i] = i;
        }
        Array.Sort(keys, order);
        return order;
    }

    /// <summary>AP per slice (null where the slice has no positive of positive weight). weights null means 1 per row.</summary>
    public static double?[] Compute(int[] order, float[] scores, float[] labels, int[]? weights, SliceMap slices)
    {
        int k = slices.Count;
        var positives = new double[k];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] <= 0.5f) continue;
            double w = weights is null ? 1 : weights[i];
            if (w == 0) continue;
            positives[0] += w;
            if (slices.TierSlice[i] >= 0) positives[slices.TierSlice[i]] += w;
            if (slices.StreamSlice[i] >= 0) positives[slices.StreamSlice[i]] += w;
        }
        var tp = new double[k];
        var seen = new double[k];
        var ap = new double[k];
        var dtp = new double[k];
        var dseen = new double[k];
        var touched = new bool[k];
        var touchedList = new int[k];
        int touchedCount = 0;

        for (int start = 0; start < order.Length;)
        {
            var score = scores[order[start]];
            int end = start;
            while (end < order.Length && scores[order[end]] == score)
            {
                int r = order[end++];
                double w = weights is null ? 1 : weights[r];
                if (w == 0) continue;
                double y = labels[r] > 0.5f ? w : 0;
                Add(0, w, y);
                if (slices.TierSlice[r] >= 0) Add(slices.TierSlice[r], w, y);
                if (slices.StreamSlice[r] >= 0) Add(slices.StreamSlice[r], w, y);
            }
            for (int j = 0; j < touchedCount; j++)
            {
                int s = touchedList[j];
                tp[s] += dtp[s];
                seen[s] += dseen[s];
                if (dtp[s] > 0) ap[s] += dtp[s] / positives[s] * (tp[s] / seen[s]);
                dtp[s] = 0;
                dseen[s] = 0;
                touched[s] = false;
            }
            touchedCount = 0;
            start = end;
        }
        var result = new double?[k];
        for (int s = 0; s < k; s++) result[s] = positives[s] > 0 ? ap[s] : null;
        return result;

        void Add(int s, double w, double y)
        {
            dseen[s] += w;
            dtp[s] += y;
            if (touched[s]) return;
            touched[s] = true;
            touchedList[touchedCount++] = s;
        }
    }

    /// <summary>
    /// Multiplicities of bootstrap resample <paramref name="resample"/> of n rows: n draws with replacement
    /// from a generator seeded by (seed, resample), so every variant sees the same resampled rows.
    /// </summary>
    public static int[] ResampleCounts(int n, int seed, int resample, int[]? buffer = null)
    {
        var counts = buffer is { } b && b.Length == n ? b : new int[n];
        Array.Clear(counts);
        if (n == 0) return counts;
        var rng = new Random(unchecked(seed * 1_000_003 + resample * 7919 + 17));
        for (int i = 0; i < n; i++) counts[rng.Next(n)]++;
        return counts;
    }

    /// <summary>AP per slice on each of <paramref name="resamples"/> bootstrap resamples: [slice][resample].</summary>
    public static double?[][] Bootstrap(float[] scores, float[] labels, SliceMap slices, int resamples, int seed)
    {
        var order = Order(scores);
        var result = new double?[slices.Count][];
        for (int s = 0; s < slices.Count; s++) result[s] = new double?[resamples];
        var counts = new int[scores.Length];
        for (int b = 0; b < resamples; b++)
        {
            ResampleCounts(scores.Length, seed, b, counts);
            var ap = Compute(order, scores, labels, counts, slices);
            for (int s = 0; s < slices.Count; s++) result[s][b] = ap[s];
        }
        return result;
    }
}
