using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>
/// Training batches read from a cached split on disk, with memory that does not grow with the split's rows
/// (docs/data.md, "Training out of core"). The split is cut into blocks of <c>blockRows</c> consecutive rows;
/// each source (or, with natural sampling, all rows) is a <see cref="RowStream"/> that visits its blocks in a
/// shuffled order, <c>bufferBlocks</c> at a time, and shuffles the rows of the blocks it holds. Batches follow the
/// in-memory samplers' rules (source shares with carried remainders, every row of a source once before any
/// repeats, majority downsampling by the same draws); when every source's blocks fit in one buffer the batches are
/// exactly those of <see cref="TrainingSampler"/> for the same seed.
/// </summary>
public sealed class OutOfCoreSampler : ITrainingSampler
{
    /// <summary>Rows per block (2^16): one positioned read per column per block.</summary>
    public const int DefaultBlockRows = 1 << 16;

    /// <summary>Blocks per source buffer: the rows shuffled together (8 x 65,536 = 524,288 rows when a source fills its blocks).</summary>
    public const int DefaultBufferBlocks = 8;

    private readonly CachedSplit _split;
    private readonly RowStream[] _streams;
    private readonly double[] _shares;
    private readonly double[] _carry;
    private readonly int[] _take;
    private readonly int _batchSize;
    private readonly bool _balanced;
    private SplitMix64 _rng;

    private OutOfCoreSampler(CachedSplit split, RowStream[] streams, double[] shares, int batchSize, bool balanced, SplitMix64 rng, int rowsDrawn, IReadOnlyList<AppliedDownsample> applied)
    {
        _split = split;
        _streams = streams;
        _shares = shares;
        _carry = new double[shares.Length];
        _take = new int[shares.Length];
        _batchSize = batchSize;
        _balanced = balanced;
        _rng = rng;
        RowsDrawn = rowsDrawn;
        Downsampled = applied;
    }

    public int RowsDrawn { get; }
    public IReadOnlyList<AppliedDownsample> Downsampled { get; }

    /// <summary>The configured sampler over a cached training split.</summary>
    public static OutOfCoreSampler Create(ModelConfig model, DatasetConfig dataset, CachedSplit train, int seed,
                                          int blockRows = DefaultBlockRows, int bufferBlocks = DefaultBufferBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBlocks, 1);
        var spec = model.Sampling;
        var names = dataset.Source.Values;
        if (train.Count == 0) throw new BadInputException("the training split has no rows");

        // Majority downsampling keeps the rows the in-memory sampler keeps (same rule, same draws): one bit per row.
        System.Collections.BitArray? kept = null;
        IReadOnlyList<AppliedDownsample> applied = [];
        if (spec.Downsample.Count > 0)
        {
            var result = Downsampler.Apply(train.ReadSource(0, train.Count), names, train.ReadText("modality", 0, train.Count), spec.Downsample, seed);
            kept = new System.Collections.BitArray(train.Count);
            foreach (var r in result.Rows) kept[r] = true;
            applied = result.Rates;
        }

        bool balanced = spec.Mode == SamplingMode.Balanced;
        int groups = balanced ? names.Count : 1;
        int blocks = (int)((train.Count + (long)blockRows - 1) / blockRows);
        var rowsOf = new long[groups];
        var blocksOf = Enumerable.Range(0, groups).Select(_ => new List<int>()).ToArray();
        Func<int, int[], int> groupOf = balanced ? (i, source) => source[i] : (_, _) => 0;
        for (int b = 0; b < blocks; b++)
        {
            int start = b * blockRows;
            var source = train.ReadSource(start, Math.Min(blockRows, train.Count - start));
            var inBlock = new int[groups];
            for (int i = 0; i < source.Length; i++)
            {
                int g = groupOf(i, source);
                if ((uint)g >= (uint)groups) throw new BadInputException($"cached training split: row {start + i} has source index {g}, the dataset has {groups} sources (run `crossfeed prepare` again)");
                if (kept is null || kept[start + i]) inBlock[g]++;
            }
            for (int g = 0; g < groups; g++)
            {
                if (inBlock[g] == 0) continue;
                rowsOf[g] += inBlock[g];
                blocksOf[g].Add(b);
            }
        }
        double[] shares = balanced ? names.Select(v => spec.Shares.GetValueOrDefault(v)).ToArray() : [1.0];
        double sum = shares.Sum();
        if (!(Math.Abs(sum - 1) <= 1e-6)) throw new BadInputException($"sampling: shares must add up to 1, got {sum}");
        shares = shares.Select(s => s / sum).ToArray();
        for (int g = 0; g < groups; g++)
            if (shares[g] > 0 && rowsOf[g] == 0)
                throw new BadInputException($"sampling: source '{(balanced ? names[g] : "all")}' has no rows in this split but its share is {shares[g]:0.###}; give it share 0 or add data");
        long drawn = Enumerable.Range(0, groups).Where(g => shares[g] > 0).Sum(g => rowsOf[g]);

        var rng = new SplitMix64(seed);
        var streams = new RowStream[groups];
        for (int g = 0; g < groups; g++)
        {
            streams[g] = new RowStream(train, g, groupOf, kept, blocksOf[g].ToArray(), blockRows, bufferBlocks);
            if (rowsOf[g] > 0) streams[g].Start(ref rng);
        }
        return new OutOfCoreSampler(train, streams, shares, model.Training.BatchSize, balanced, rng, (int)drawn, applied);
    }

    public TrainingBatch Next() => Draw(read: true)!.Value;

    public void Skip() => Draw(read: false);

    private TrainingBatch? Draw(bool read)
    {
        var splitRows = new List<int>(_batchSize);
        var parts = read ? new List<EncodedSplit>() : null;
        if (!_balanced)
        {
            // Natural: the pass's last batch holds what is left of it.
            _streams[0].Take(_batchSize, stopAtPassEnd: true, splitRows, parts, ref _rng);
            return read ? Batch(parts!, splitRows, null) : null;
        }
        SourceBalancedSampler.Allot(_shares, _carry, _take, _batchSize);
        for (int s = 0; s < _streams.Length; s++)
            if (_take[s] > 0) _streams[s].Take(_take[s], stopAtPassEnd: false, splitRows, parts, ref _rng);
        var order = new int[splitRows.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        _rng.Shuffle(order);
        return read ? Batch(parts!, splitRows, order) : null;
    }

    private TrainingBatch Batch(List<EncodedSplit> parts, List<int> splitRows, int[]? order)
    {
        var data = EncodedSplit.Concat(parts, _split.Name);
        var rows = new int[splitRows.Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = order is null ? splitRows[i] : splitRows[order[i]];
        if (order is not null) data = data.Subset(order);
        var local = new int[rows.Length];
        for (int i = 0; i < local.Length; i++) local[i] = i;
        return new TrainingBatch(data, local, rows);
    }
}
