using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Produces mini-batches as row indices into one split. Samplers are stateful streams: the same seed
/// gives the same sequence of batches. An epoch is ceil(rows / BatchSize) batches.
/// </summary>
public interface IBatchSampler
{
    int BatchSize { get; }
    int BatchesPerEpoch { get; }

    /// <summary>Writes the next batch into rows (length at least BatchSize) and returns how many rows it has.</summary>
    int NextBatch(Span<int> rows);
}

public static class BatchSamplerExtensions
{
    /// <summary>The next epoch's batches (one array per batch).</summary>
    public static IEnumerable<int[]> Epoch(this IBatchSampler sampler)
    {
        var buf = new int[sampler.BatchSize];
        for (int b = 0; b < sampler.BatchesPerEpoch; b++)
        {
            int n = sampler.NextBatch(buf);
            yield return buf.AsSpan(0, n).ToArray();
        }
    }
}

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
    public int BatchesPerEpoch => (_order.Length + BatchSize - 1) / BatchSize;

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

/// <summary>
/// Source-balanced batches (joint ads + promotions model): every batch has exactly BatchSize rows and
/// draws share[s] of them from source s, whatever the raw volumes. Counts per batch are rounded with
/// carried remainders, so over many batches the shares are exact. Each source is read in a shuffled
/// order and reshuffled when exhausted (a small source cycles, a large one is walked through over
/// epochs). Rows within a batch are shuffled.
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
    public int BatchesPerEpoch => Math.Max(1, (Rows + BatchSize - 1) / BatchSize);
    /// <summary>Configured share per source index (normalised).</summary>
    public IReadOnlyList<double> Shares { get; }
    /// <summary>Share of each source in the split (natural frequency).</summary>
    public IReadOnlyList<double> NaturalShares { get; }
    /// <summary>share / natural share: how much a source is over- (&gt; 1) or under-represented (&lt; 1) per row. Calibration and weighted metrics can divide by it.</summary>
    public IReadOnlyList<double> EffectiveWeights { get; }

    public int NextBatch(Span<int> rows)
    {
        int k = _bySource.Length;
        int total = 0;
        for (int s = 0; s < k; s++)
        {
            _carry[s] += Shares[s] * BatchSize;
            _take[s] = (int)Math.Floor(_carry[s] + 1e-9);
            total += _take[s];
        }
        // Hand the rows rounding left over to the sources with the largest remainders.
        while (total < BatchSize)
        {
            int best = -1;
            for (int s = 0; s < k; s++)
                if (Shares[s] > 0 && (best < 0 || _carry[s] - _take[s] > _carry[best] - _take[best])) best = s;
            _take[best]++;
            total++;
        }
        while (total > BatchSize)
        {
            int worst = -1;
            for (int s = 0; s < k; s++)
                if (_take[s] > 0 && (worst < 0 || _carry[s] - _take[s] < _carry[worst] - _take[worst])) worst = s;
            _take[worst]--;
            total--;
        }
        int o = 0;
        for (int s = 0; s < k; s++)
        {
            _carry[s] -= _take[s];
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

    public override string ToString() => string.Join(", ", Shares.Select((s, i) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"source {i}: share {s:0.###} vs natural {NaturalShares[i]:0.###} (weight {EffectiveWeights[i]:0.###})")));
}

/// <summary>A downsampling rule as applied: the configured rate and what it did.</summary>
public sealed record AppliedDownsample(string Source, string? Modality, double Rate, long RowsBefore, long RowsKept)
{
    /// <summary>Kept / before (equals Rate up to rounding of one row).</summary>
    public double RealisedRate => RowsBefore == 0 ? Rate : (double)RowsKept / RowsBefore;
}

/// <summary>The rows kept by a <see cref="Downsampler"/> and the rates, so calibration can undo them.</summary>
public sealed class DownsampleResult
{
    public required int[] Rows { get; init; }
    /// <summary>Per kept row: the keep rate of its group (1 when no rule matched). Weight 1/rate restores natural frequencies.</summary>
    public required float[] KeepRate { get; init; }
    public required IReadOnlyList<AppliedDownsample> Rates { get; init; }
}

/// <summary>
/// Majority downsampling (CAMoE): keeps a configured rate of the rows of a source, optionally only
/// those of one modality. When several rules match a row, the last one wins. Exactly
/// round(rate * rows) rows of each rule's group are kept, chosen by a seeded shuffle; kept rows stay in
/// their original order.
/// </summary>
public static class Downsampler
{
    public static DownsampleResult Apply(ReadOnlySpan<int> source, IReadOnlyList<string> sourceNames, IReadOnlyList<string?>? modality, IReadOnlyList<DownsampleRule> rules, int seed)
    {
        int n = source.Length;
        if (modality is not null && modality.Count != n) throw new ArgumentException("modality must have one value per row", nameof(modality));
        var ruleSource = new int[rules.Count];
        for (int r = 0; r < rules.Count; r++)
        {
            ruleSource[r] = IndexOf(sourceNames, rules[r].Source);
            if (ruleSource[r] < 0) throw new BadInputException($"downsample: unknown source '{rules[r].Source}' (sources: {string.Join(", ", sourceNames)})");
            if (!(rules[r].Rate > 0 && rules[r].Rate <= 1)) throw new BadInputException($"downsample: rate must be in (0, 1], got {rules[r].Rate}");
            if (rules[r].Modality is not null && modality is null)
                throw new BadInputException($"downsample: the rule for modality '{rules[r].Modality}' needs analysis.modality in the dataset config");
        }
        var group = new int[n];
        var members = new List<int>[rules.Count];
        for (int r = 0; r < rules.Count; r++) members[r] = [];
        for (int i = 0; i < n; i++)
        {
            int g = -1;
            for (int r = rules.Count - 1; r >= 0 && g < 0; r--)
                if (source[i] == ruleSource[r] && (rules[r].Modality is null || rules[r].Modality == modality![i])) g = r;
            group[i] = g;
            if (g >= 0) members[g].Add(i);
        }
        var keep = new bool[n];
        for (int i = 0; i < n; i++) keep[i] = group[i] < 0;
        var rng = new SplitMix64(seed);
        var applied = new AppliedDownsample[rules.Count];
        for (int r = 0; r < rules.Count; r++)
        {
            var m = members[r];
            int k = (int)Math.Round(m.Count * rules[r].Rate, MidpointRounding.AwayFromZero);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(m);
            // Partial Fisher-Yates: the first k positions become a uniform sample.
            for (int j = 0; j < k; j++)
            {
                int pick = j + rng.NextInt(span.Length - j);
                (span[j], span[pick]) = (span[pick], span[j]);
                keep[span[j]] = true;
            }
            applied[r] = new AppliedDownsample(rules[r].Source, rules[r].Modality, rules[r].Rate, m.Count, k);
        }
        int kept = 0;
        foreach (var b in keep) if (b) kept++;
        var rows = new int[kept];
        var rate = new float[kept];
        int o = 0;
        for (int i = 0; i < n; i++)
        {
            if (!keep[i]) continue;
            rows[o] = i;
            rate[o] = group[i] < 0 ? 1f : (float)rules[group[i]].Rate;
            o++;
        }
        return new DownsampleResult { Rows = rows, KeepRate = rate, Rates = applied };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
