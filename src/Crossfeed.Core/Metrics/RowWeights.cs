namespace Crossfeed.Core.Metrics;

/// <summary>
/// Per-row weights of a metric, indexed by the row's position in the score array: integer
/// multiplicities (a bootstrap resample) or real weights; the default (or a null array) weighs every row 1.
/// A row of weight 2 counts exactly like the row given twice.
/// </summary>
public readonly struct RowWeights
{
    private readonly int[]? _counts;
    private readonly double[]? _values;

    private RowWeights(int[]? counts, double[]? values)
    {
        _counts = counts;
        _values = values;
    }

    public static implicit operator RowWeights(int[]? counts) => new(counts, null);

    public static implicit operator RowWeights(double[]? values) => new(null, values);

    /// <summary>True when every row weighs 1.</summary>
    public bool IsUnit => _counts is null && _values is null;

    public double this[int row] => _counts is not null ? _counts[row] : _values is not null ? _values[row] : 1;

    /// <summary>Throws unless there is one weight per row (or none).</summary>
    public void Check(int rows, string metric)
    {
        if (IsUnit) return;
        int length = _counts?.Length ?? _values!.Length;
        if (length != rows) throw new ArgumentException($"{metric}: {length} weights for {rows} rows");
    }
}
