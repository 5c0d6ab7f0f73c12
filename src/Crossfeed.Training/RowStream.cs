using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>
/// The rows of one group (a source, or every row) of a cached split, drawn in passes: each pass visits the
/// group's blocks in a shuffled order, <c>bufferBlocks</c> at a time, and hands out the rows of those blocks in a
/// shuffled order; so every row of the group comes up once per pass, and memory holds at most one buffer of
/// the group's rows. When all of a group's blocks fit in one buffer, they are read once, in order, and only the
/// rows are reshuffled: the draws are then exactly those of the in-memory samplers.
/// </summary>
internal sealed class RowStream
{
    private readonly CachedSplit _split;
    private readonly int _group;
    private readonly Func<int, int[], int> _groupOf;
    private readonly System.Collections.BitArray? _kept;
    private readonly int[] _blocks;
    private readonly int _blockRows;
    private readonly int _bufferBlocks;
    private int _nextBlock;
    private int[] _rows = [];   // global rows of the buffer, in the order read
    private int[] _order = [];  // shuffled positions into _rows
    private int _pos;
    private EncodedSplit? _data; // the buffer's rows (in _rows order), read when first needed

    /// <param name="groupOf">The group of row i of a block given the block's source column.</param>
    public RowStream(CachedSplit split, int group, Func<int, int[], int> groupOf, System.Collections.BitArray? kept, int[] blocks, int blockRows, int bufferBlocks)
    {
        _split = split;
        _group = group;
        _groupOf = groupOf;
        _kept = kept;
        _blocks = blocks;
        _blockRows = blockRows;
        _bufferBlocks = bufferBlocks;
        _nextBlock = blocks.Length;
    }

    /// <summary>Reads the first buffer (the sampler starts its streams in order, so the draws are those of the samplers in memory).</summary>
    public void Start(ref SplitMix64 rng) => Refill(ref rng);

    /// <summary>Whether the next row starts a new pass.</summary>
    public bool AtPassEnd => _pos == _rows.Length && _nextBlock == _blocks.Length;

    /// <summary>
    /// Appends the next <paramref name="count"/> rows (fewer when <paramref name="stopAtPassEnd"/> and the pass ends) to
    /// <paramref name="splitRows"/>, and their data to <paramref name="parts"/> unless it is null (skipping).
    /// </summary>
    public int Take(int count, bool stopAtPassEnd, List<int> splitRows, List<EncodedSplit>? parts, ref SplitMix64 rng)
    {
        int taken = 0;
        while (taken < count)
        {
            if (_pos == _rows.Length)
            {
                if (stopAtPassEnd && taken > 0 && _nextBlock == _blocks.Length) break;
                Refill(ref rng);
            }
            int n = Math.Min(count - taken, _rows.Length - _pos);
            var local = _order.AsSpan(_pos, n);
            foreach (var i in local) splitRows.Add(_rows[i]);
            if (parts is not null) parts.Add(Data().Subset(local));
            _pos += n;
            taken += n;
        }
        return taken;
    }

    private void Refill(ref SplitMix64 rng)
    {
        if (_nextBlock == _blocks.Length)
        {
            if (_blocks.Length > _bufferBlocks) rng.Shuffle(_blocks);
            else if (_rows.Length > 0)
            {
                rng.Shuffle(_order); // the whole group is in the buffer: a new pass is a new order of the same rows
                _pos = 0;
                return;
            }
            _nextBlock = 0;
        }
        var rows = new List<int>();
        int end = Math.Min(_blocks.Length, _nextBlock + _bufferBlocks);
        for (; _nextBlock < end; _nextBlock++)
        {
            int start = _blocks[_nextBlock] * _blockRows;
            var source = _split.ReadSource(start, Math.Min(_blockRows, _split.Count - start));
            for (int i = 0; i < source.Length; i++)
                if (_groupOf(i, source) == _group && (_kept is null || _kept[start + i])) rows.Add(start + i);
        }
        _rows = rows.ToArray();
        _order = new int[_rows.Length];
        for (int i = 0; i < _order.Length; i++) _order[i] = i;
        rng.Shuffle(_order);
        _pos = 0;
        _data = null;
    }

    /// <summary>The buffer's rows, read block by block (one block's columns at a time besides the buffer).</summary>
    private EncodedSplit Data()
    {
        if (_data is not null) return _data;
        var parts = new List<EncodedSplit>();
        int i = 0;
        while (i < _rows.Length)
        {
            int block = _rows[i] / _blockRows, start = block * _blockRows;
            int j = i;
            while (j < _rows.Length && _rows[j] / _blockRows == block) j++;
            var local = new int[j - i];
            for (int k = 0; k < local.Length; k++) local[k] = _rows[i + k] - start;
            parts.Add(_split.Read(start, Math.Min(_blockRows, _split.Count - start)).Subset(local));
            i = j;
        }
        return _data = parts.Count == 0 ? _split.Read(0, 0) : EncodedSplit.Concat(parts, _split.Name);
    }
}
