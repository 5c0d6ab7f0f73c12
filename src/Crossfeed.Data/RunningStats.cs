namespace Crossfeed.Data;

/// <summary>Running mean and variance (Welford), numerically stable in one pass.</summary>
internal sealed class RunningStats
{
    private double _mean;
    private double _m2;

    public long Count { get; private set; }

    public void Add(double x)
    {
        Count++;
        double d = x - _mean;
        _mean += d / Count;
        _m2 += d * (x - _mean);
    }

    public double Mean => Count == 0 ? 0 : _mean;

    /// <summary>Population standard deviation; 1 when there is no spread, so standardising never divides by 0.</summary>
    public double Std
    {
        get
        {
            if (Count == 0) return 1;
            var s = Math.Sqrt(_m2 / Count);
            return s > 1e-12 && double.IsFinite(s) ? s : 1;
        }
    }
}
