using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// One split of a dataset after encoding: columnar arrays ready to be sliced into tensors without
/// per-row allocations. Row i of every array belongs to the same impression.
/// </summary>
public sealed class EncodedSplit
{
    public required SplitName Name { get; init; }
    public required int Count { get; init; }

    /// <summary>Index into <see cref="SourceSpec.Values"/> per row.</summary>
    public required int[] Source { get; init; }

    /// <summary>Per feature name: encoded ids (categorical: Count ids; list: see <see cref="ListOffsets"/>).</summary>
    public required IReadOnlyDictionary<string, int[]> Ids { get; init; }

    /// <summary>Per list feature: Count + 1 offsets into its <see cref="Ids"/> array.</summary>
    public required IReadOnlyDictionary<string, int[]> ListOffsets { get; init; }

    /// <summary>Per numeric feature: standardised values (Count), whatever its encoding; per vector feature: Count * Dim values, row-major.</summary>
    public required IReadOnlyDictionary<string, float[]> Dense { get; init; }

    /// <summary>Per piecewise_linear feature: Count * width values, row-major (its buckets, then the null indicator if any). quantile_bins features put their bucket ids in <see cref="Ids"/>.</summary>
    public IReadOnlyDictionary<string, float[]> Piecewise { get; init; } = new Dictionary<string, float[]>(StringComparer.Ordinal);

    /// <summary>Per label name: 0/1, or NaN where the label is unknown (null, or not observable for the row's source).</summary>
    public required IReadOnlyDictionary<string, float[]> Labels { get; init; }

    /// <summary>Per label name with a truth column: the ground-truth probability, NaN where missing.</summary>
    public required IReadOnlyDictionary<string, float[]> Truth { get; init; }

    /// <summary>Analysis columns (tier, streams_30d, cost...) as doubles, NaN where null.</summary>
    public required IReadOnlyDictionary<string, double[]> Analysis { get; init; }

    /// <summary>Analysis columns holding text (modality, slot), as strings.</summary>
    public required IReadOnlyDictionary<string, string?[]> AnalysisText { get; init; }

    /// <summary>Key columns, carried through as text.</summary>
    public required IReadOnlyDictionary<string, string?[]> Keys { get; init; }

    /// <summary>Each row's time (Unix seconds) when the dataset has a time column and the split was encoded with it; the cache keeps it to restore time order.</summary>
    public double[]? Time { get; init; }

    /// <summary>
    /// The given rows, in the given order, as a new split (a gather over every array; rows may repeat).
    /// Used to order by time and to apply downsampling.
    /// </summary>
    public EncodedSplit Subset(ReadOnlySpan<int> rows, SplitName? name = null)
    {
        var idx = rows.ToArray();
        foreach (var r in idx)
            if ((uint)r >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside 0..{Count - 1}");
        var ids = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var offsets = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name2, values) in Ids)
        {
            if (!ListOffsets.TryGetValue(name2, out var off))
            {
                ids[name2] = Gather(values, idx);
                continue;
            }
            var newOff = new int[idx.Length + 1];
            for (int i = 0; i < idx.Length; i++) newOff[i + 1] = newOff[i] + off[idx[i] + 1] - off[idx[i]];
            var items = new int[newOff[^1]];
            for (int i = 0; i < idx.Length; i++)
                Array.Copy(values, off[idx[i]], items, newOff[i], newOff[i + 1] - newOff[i]);
            ids[name2] = items;
            offsets[name2] = newOff;
        }
        return new EncodedSplit
        {
            Name = name ?? Name,
            Count = idx.Length,
            Source = Gather(Source, idx),
            Ids = ids,
            ListOffsets = offsets,
            Dense = GatherRows(Dense, idx),
            Piecewise = GatherRows(Piecewise, idx),
            Labels = Labels.ToDictionary(kv => kv.Key, kv => Gather(kv.Value, idx), StringComparer.Ordinal),
            Truth = Truth.ToDictionary(kv => kv.Key, kv => Gather(kv.Value, idx), StringComparer.Ordinal),
            Analysis = Analysis.ToDictionary(kv => kv.Key, kv => Gather(kv.Value, idx), StringComparer.Ordinal),
            AnalysisText = AnalysisText.ToDictionary(kv => kv.Key, kv => Gather(kv.Value, idx), StringComparer.Ordinal),
            Keys = Keys.ToDictionary(kv => kv.Key, kv => Gather(kv.Value, idx), StringComparer.Ordinal),
            Time = Time is null ? null : Gather(Time, idx),
        };
    }

    /// <summary>
    /// The rows of <paramref name="parts"/> one after the other, as one split (parts laid out alike: the same
    /// columns, as blocks of one cache or subsets of one split are). Keys and time are kept only when every part has them.
    /// </summary>
    public static EncodedSplit Concat(IReadOnlyList<EncodedSplit> parts, SplitName name)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        T[] Join<T>(Func<EncodedSplit, T[]> column)
        {
            var result = new T[parts.Sum(p => (long)column(p).Length)];
            long at = 0;
            foreach (var p in parts)
            {
                var a = column(p);
                Array.Copy(a, 0, result, at, a.Length);
                at += a.Length;
            }
            return result;
        }
        Dictionary<string, T[]> JoinAll<T>(Func<EncodedSplit, IReadOnlyDictionary<string, T[]>> columns) =>
            columns(first).Keys.Where(k => parts.All(p => columns(p).ContainsKey(k)))
                .ToDictionary(k => k, k => Join(p => columns(p)[k]), StringComparer.Ordinal);
        var offsets = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var feature in first.ListOffsets.Keys)
        {
            var joined = new int[parts.Sum(p => p.Count) + 1];
            int row = 0, items = 0;
            foreach (var p in parts)
            {
                var off = p.ListOffsets[feature];
                for (int i = 0; i < p.Count; i++) joined[row + i + 1] = items + off[i + 1];
                row += p.Count;
                items += off[p.Count];
            }
            offsets[feature] = joined;
        }
        return new EncodedSplit
        {
            Name = name,
            Count = parts.Sum(p => p.Count),
            Source = Join(p => p.Source),
            Ids = JoinAll(p => p.Ids),
            ListOffsets = offsets,
            Dense = JoinAll(p => p.Dense),
            Piecewise = JoinAll(p => p.Piecewise),
            Labels = JoinAll(p => p.Labels),
            Truth = JoinAll(p => p.Truth),
            Analysis = JoinAll(p => p.Analysis),
            AnalysisText = JoinAll(p => p.AnalysisText),
            Keys = JoinAll(p => p.Keys),
            Time = parts.All(p => p.Time is not null) ? Join(p => p.Time!) : null,
        };
    }

    private Dictionary<string, float[]> GatherRows(IReadOnlyDictionary<string, float[]> arrays, int[] idx)
    {
        var gathered = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, values) in arrays)
        {
            int width = Count == 0 ? 0 : values.Length / Count;
            var outv = new float[idx.Length * width];
            for (int i = 0; i < idx.Length; i++) Array.Copy(values, (long)idx[i] * width, outv, (long)i * width, width);
            gathered[name] = outv;
        }
        return gathered;
    }

    private static T[] Gather<T>(T[] values, int[] idx)
    {
        var outv = new T[idx.Length];
        for (int i = 0; i < idx.Length; i++) outv[i] = values[idx[i]];
        return outv;
    }
}
