using Crossfeed.Core.Metrics;

namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// AP of one score vector on every slice of a <see cref="SliceMap"/>, and on bootstrap resamples of its
/// rows: the rows are sorted once, each slice keeps its part of that order, and a resample is a weight
/// vector, so a resample costs one O(n) sweep per slice, not a sort.
/// </summary>
public sealed class SlicedAveragePrecision
{
    private readonly RankedRows[] _slices;

    public SlicedAveragePrecision(float[] scores, float[] labels, SliceMap slices, string metric)
        : this(RankedRows.Of(scores, labels, metric), slices)
    {
    }

    /// <summary>From rows already ranked (one sort serves the other metrics of the same scores too).</summary>
    public SlicedAveragePrecision(RankedRows all, SliceMap slices)
    {
        if (slices.TierSlice.Length != all.Length) throw new ArgumentException($"{all.Length} scores for a slice map of {slices.TierSlice.Length} rows");
        _slices = new RankedRows[slices.Count];
        _slices[0] = all;
        for (int s = 1; s < slices.Count; s++)
        {
            int slice = s;
            _slices[s] = all.Where(i => slices.Contains(slice, i));
        }
    }

    /// <summary>AP per slice (null where the slice has no positive of positive weight).</summary>
    public double?[] Compute(RowWeights weights = default)
    {
        var result = new double?[_slices.Length];
        for (int s = 0; s < _slices.Length; s++) result[s] = _slices[s].AveragePrecision(weights);
        return result;
    }

    /// <summary>AP per slice on each of <paramref name="resamples"/> <see cref="Resampler"/> resamples: [slice][resample].</summary>
    public double?[][] Bootstrap(int resamples, int seed)
    {
        var result = new double?[_slices.Length][];
        for (int s = 0; s < _slices.Length; s++) result[s] = new double?[resamples];
        var counts = new int[_slices[0].Length];
        for (int b = 0; b < resamples; b++)
        {
            Resampler.Counts(counts.Length, seed, b, counts);
            for (int s = 0; s < _slices.Length; s++) result[s][b] = _slices[s].AveragePrecision(counts);
        }
        return result;
    }
}
