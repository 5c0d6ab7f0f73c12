namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// The one bootstrap scheme of `evaluate`, `calibrate` and `experiment`: resample b of n rows is n draws
/// with replacement from a generator seeded by (seed, b), given as per-row multiplicities (a weight
/// vector for the metric kernels). Every model and variant scored on the same rows with the same seed
/// sees the same resampled rows, so paired comparisons are paired.
/// </summary>
public static class Resampler
{
    /// <summary>Multiplicities of resample <paramref name="resample"/> of n rows (into <paramref name="buffer"/> when it has length n).</summary>
    public static int[] Counts(int n, int seed, int resample, int[]? buffer = null)
    {
        var counts = buffer is { } b && b.Length == n ? b : new int[n];
        Array.Clear(counts);
        if (n == 0) return counts;
        var rng = new Random(unchecked(seed * 1_000_003 + resample * 7919 + 17));
        for (int i = 0; i < n; i++) counts[rng.Next(n)]++;
        return counts;
    }
}
