using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Source-balanced batches (joint ads + promotions model): every batch has exactly BatchSize rows and
/// draws share[s] of them from source s, whatever the raw volumes. Counts per batch are rounded with
/// carried remainders, so over many batches the shares are exact. Each source is read in a shuffled
/// order and reshuffled only when exhausted, so every row of a source comes up once before any repeats
/// (a small source cycles; a large one is walked through over the epochs of one sampler, which the
/// trainer keeps for the whole run). An epoch is the rows of the sources with a share above 0 divided
/// by the batch size. Rows within a batch are shuffled.
/// </summary>
public sealed class SourceBalancedSampler : IBatchSampler
{
    private readonly int[][] _bySource;
    private readonly int[] _pos;
    private readonly double[] _carry;
    private readonly int[] _take;
    private SplitMix64 _rng;

    /// <param name="source">Source index per row (EncodedSplit.Source).</param>
    /// <param name="shares">Share per source index; must add up to 1. A source with share 0 is never drawn.</param>
    /// <param name="sourceNames">Names per source index, for messages.</param>
    public SourceBalancedSampler(ReadOnlySpan<int> source, IReadOnlyList<double> shares, int batchSize, int seed, IReadOnlyList<string>? sourceNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int k = shares.Count;
        if (k == 0) throw new ArgumentException("at least one source share", nameof(shares));
        double sum = 0;
        foreach (var s in shares)
        {
            if (!(s >= 0) || !double.IsFinite(s)) throw new ArgumentException("shares must be finite and >= 0", nameof(shares));
            sum += s;
        }
        if (Math.Abs(sum - 1) > 1e-6) throw new ArgumentException($"shares must add up to 1, got {sum}", nameof(shares));
        string Name(int s) => sourceNames is not null && s < sourceNames.Count ? sourceNames[s] : s.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var counts = new int[k];
        foreach (var s in source)
        {
            if ((uint)s >= (uint)k) throw new ArgumentException($"source index {s} has no share", nameof(source));
            counts[s]++;
        }
        _bySource = new int[k][];
        for (int s = 0; s < k; s++) _bySource[s] = new int[counts[s]];
        var fill = new int[k];
        for (int i = 0; i < source.Length; i++) _bySource[source[i]][fill[source[i]]++] = i;

        BatchSize = batchSize;
        Shares = shares.Select(s => s / sum).ToArray();
        Rows = source.Length;
        int total = source.Length;
        NaturalShares = counts.Select(c => total == 0 ? 0.0 : (double)c / total).ToArray();
        EffectiveWeights = Shares.Zip(NaturalShares, (sh, nat) => nat > 0 ? sh / nat : 0).ToArray();
        RowsDrawn = Enumerable.Range(0, k).Where(s => Shares[s] > 0).Sum(s => counts[s]);
        for (int s = 0; s < k; s++)
            if (Shares[s] > 0 && counts[s] == 0)
                throw new BadInputException($"sampling: source '{Name(s)}' has no rows in this split but its share is {Shares[s]:0.###}; give it share 0 or add data");

        _rng = new SplitMix64(seed);
        _pos = new int[k];
        _carry = new double[k];
        _take = new int[k];
        foreach (var rows in _bySource) _rng.Shuffle(rows);
    }

    public int BatchSize { get; }
    public int Rows { get; }
    public int BatchesPerEpoch => Math.Max(1, (RowsDrawn + BatchSize - 1) / BatchSize);
    public int RowsDrawn { get; }
    /// <summary>Configured share per source index (normalised).</summary>
    public IReadOnlyList<double> Shares { get; }
    /// <summary>Share of each source in the split (natural frequency).</summary>
    public IReadOnlyList<double> NaturalShares { get; }
    /// <summary>share / natural share: how much a source is over- (&gt; 1) or under-represented (&lt; 1) per row. Calibration and weighted metrics can divide by it.</summary>
    public IReadOnlyList<double> EffectiveWeights { get; }

    public int NextBatch(Span<int> rows)
    {
        int k = _bySource.Length;
        Allot(Shares, _carry, _take, BatchSize);
        int o = 0;
        for (int s = 0; s < k; s++)
        {
            var src = _bySource[s];
            for (int j = 0; j < _take[s]; j++)
            {
                if (_pos[s] == src.Length)
                {
                    _rng.Shuffle(src);
                    _pos[s] = 0;
                }
                rows[o++] = src[_pos[s]++];
            }
        }
        _rng.Shuffle(rows[..o]);
        return o;
    }

    /// <summary>
    /// How many rows of each source the next batch takes (<paramref name="take"/>): share x batch size, rounded with
    /// the remainders carried in <paramref name="carry"/> from batch to batch, so over many batches the shares are exact.
    /// </summary>
    public static void Allot(IReadOnlyList<double> shares, double[] carry, int[] take, int batchSize)
    {
        int k = shares.Count;
        int total = 0;
        for (int s = 0; s < k; s++)
        {
            carry[s] += shares[s] * batchSize;
            take[s] = (int)Math.Floor(carry[s] + 1e-9);
            total += take[s];
        }
        // Hand the rows rounding left over to the sources with the largest remainders.
        while (total < batchSize)
        {
            int best = -1;
            for (int s = 0; s < k; s++)
                if (shares[s] > 0 && (best < 0 || carry[s] - take[s] > carry[best] - take[best])) best = s;
            take[best]++;
            total++;
        }
        while (total > batchSize)
        {
            int worst = -1;
            for (int s = 0; s < k; s++)
                if (take[s] > 0 && (worst < 0 || carry[s] - take[s] < carry[worst] - take[worst])) worst = s;
            take[worst]--;
            total--;
        }
        for (int s = 0; s < k; s++) carry[s] -= take[s];
    }

    public override string ToString() => string.Join(", ", Shares.Select((s, i) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"source {i}: share {s:0.###} vs natural {NaturalShares[i]:0.###} (weight {EffectiveWeights[i]:0.###})")));
}
