namespace Crossfeed.Data;

/// <summary>
/// Natural sampling for baselines: each epoch visits every row once in a fresh shuffled order; the
/// last batch of an epoch holds the remainder (rows mod BatchSize) when the count does not divide.
/// </summary>
public sealed class NaturalSampler : IBatchSampler
{
    private readonly int[] _order;
    private SplitMix64 _rng;
    private int _pos;

    public NaturalSampler(int count, int batchSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        _order = new int[count];
        for (int i = 0; i < count; i++) _order[i] = i;
        _rng = new SplitMix64(seed);
        _rng.Shuffle(_order);
    }

    public int BatchSize { get; }
    public int BatchesPerEpoch => Math.Max(1, (RowsDrawn + BatchSize - 1) / BatchSize);
    public int RowsDrawn => _order.Length;

    public int NextBatch(Span<int> rows)
    {
        if (_pos == _order.Length)
        {
            _rng.Shuffle(_order);
            _pos = 0;
        }
        int n = Math.Min(BatchSize, _order.Length - _pos);
        _order.AsSpan(_pos, n).CopyTo(rows);
        _pos += n;
        return n;
    }
}
