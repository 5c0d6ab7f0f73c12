namespace Crossfeed.Data;

/// <summary>
/// Quantile bucket edges fitted on training values and the two encodings over them (Gorishniy et al.,
/// "On Embeddings for Numerical Features in Tabular Deep Learning", 2022): a bucket index for an
/// embedding lookup, and the piecewise-linear encoding.
/// </summary>
public static class NumericBins
{
    /// <summary>
    /// Edges of <paramref name="bins"/> quantile buckets over the sorted training values. A value held by more
    /// than one bucket's share of the rows (n / bins; e.g. the zeros of capital-gain, 92% of Adult's rows) is a
    /// point mass that plain quantiles would spread over several collapsed edges: it gets a bucket of its own
    /// (edges at it and at the next larger training value), and the remaining buckets are quantiles of the
    /// other values: edge j (j = 0..b) of b buckets over m values is the value at position floor(j * (m - 1) / b).
    /// Edges are values seen in training (the first is the minimum, the last the maximum); equal edges
    /// collapse; a constant column gets [v, v], one bucket.
    /// </summary>
    public static double[] Edges(ReadOnlySpan<double> sorted, int bins)
    {
        if (sorted.IsEmpty) throw new ArgumentException("no values to fit bucket edges on", nameof(sorted));
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var edges = new SortedSet<double>();
        var rest = new List<double>(sorted.Length);
        int heavy = 0;
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j] == sorted[i]) j++;
            if ((long)(j - i) * bins > sorted.Length)
            {
                heavy++;
                edges.Add(sorted[i]);
                if (j < sorted.Length) edges.Add(sorted[j]);
            }
            else
            {
                for (int k = i; k < j; k++) rest.Add(sorted[k]);
            }
            i = j;
        }
        int left = Math.Max(1, bins - heavy);
        if (rest.Count > 0)
            for (int j = 0; j <= left; j++) edges.Add(rest[(int)((long)j * (rest.Count - 1) / left)]);
        edges.Add(sorted[0]);
        edges.Add(sorted[^1]);
        return edges.Count == 1 ? [edges.Min, edges.Min] : edges.ToArray();
    }

    /// <summary>
    /// The bucket k of x with edges[k] &lt;= x &lt; edges[k + 1]; values below the first edge fall in bucket 0,
    /// values at or above the last edge in the last bucket (edges.Count - 2).
    /// </summary>
    public static int Bucket(IReadOnlyList<double> edges, double x)
    {
        // Binary search for the number of inner edges (edges[1] .. edges[^2]) at or below x.
        int lo = 1, hi = edges.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (edges[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }

    /// <summary>
    /// The piecewise-linear encoding, one component per bucket [b(t-1), b(t)): 0 if x &lt; b(t-1), 1 if x &gt;= b(t),
    /// else (x - b(t-1)) / (b(t) - b(t-1)). <paramref name="into"/> holds edges.Count - 1 values.
    /// </summary>
    public static void Piecewise(IReadOnlyList<double> edges, double x, Span<float> into)
    {
        for (int t = 1; t < edges.Count; t++)
        {
            double lo = edges[t - 1], hi = edges[t];
            into[t - 1] = x >= hi ? 1f : x < lo ? 0f : (float)((x - lo) / (hi - lo));
        }
    }
}
