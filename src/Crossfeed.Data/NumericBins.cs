namespace Crossfeed.Data;

/// <summary>
/// Quantile bucket edges fitted on training values and the two encodings over them (Gorishniy et al.,
/// "On Embeddings for Numerical Features in Tabular Deep Learning", 2022): a bucket index for an
/// embedding lookup, and the piecewise-linear encoding.
/// </summary>
public static class NumericBins
{
    /// <summary>
    /// Edges of <paramref name="bins"/> quantile buckets over the sorted training values: edge j (j = 0..bins)
    /// is the value at position floor(j * (n - 1) / bins), so edges are values seen in training (the first is
    /// the minimum, the last the maximum). Equal edges collapse, so a column with few distinct values gets
    /// fewer buckets; a constant column gets [v, v], one bucket.
    /// </summary>
    public static double[] Edges(ReadOnlySpan<double> sorted, int bins)
    {
        if (sorted.IsEmpty) throw new ArgumentException("no values to fit bucket edges on", nameof(sorted));
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var edges = new List<double>(bins + 1);
        for (int j = 0; j <= bins; j++)
        {
            var v = sorted[(int)((long)j * (sorted.Length - 1) / bins)];
            if (edges.Count == 0 || v > edges[^1]) edges.Add(v);
        }
        if (edges.Count == 1) edges.Add(edges[0]);
        return edges.ToArray();
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
