namespace Crossfeed.Simulation;

/// <summary>A weighted sampler over ids, rebuilt in place (no allocation after the first fill).</summary>
internal sealed class WeightedTable
{
    private int[] _ids = new int[16];
    private double[] _cum = new double[16];

    public int Count { get; private set; }

    public double Total => Count == 0 ? 0 : _cum[Count - 1];

    public void Clear() => Count = 0;

    public void Add(int id, double weight)
    {
        if (!(weight > 0)) return;
        if (Count == _ids.Length)
        {
            Array.Resize(ref _ids, Count * 2);
            Array.Resize(ref _cum, Count * 2);
        }
        _ids[Count] = id;
        _cum[Count] = Total + weight;
        Count++;
    }

    /// <summary>An id with probability proportional to its weight; -1 when empty.</summary>
    public int Sample(ref Rng rng)
    {
        if (Count == 0) return -1;
        double u = rng.NextDouble() * _cum[Count - 1];
        int lo = 0, hi = Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_cum[mid] > u) hi = mid; else lo = mid + 1;
        }
        return _ids[lo];
    }

    /// <summary>An id drawn uniformly, ignoring weights; -1 when empty.</summary>
    public int SampleUniform(ref Rng rng) => Count == 0 ? -1 : _ids[rng.NextInt(Count)];
}
