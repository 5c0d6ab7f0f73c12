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
