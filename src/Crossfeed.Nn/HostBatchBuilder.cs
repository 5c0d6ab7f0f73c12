using Crossfeed.Data;

namespace Crossfeed.Nn;

/// <summary>Builds host batches from row indices, reusing its dictionaries between batches.</summary>
public sealed class HostBatchBuilder
{
    private readonly FeatureLayout _layout;
    private readonly Dictionary<int, int>[] _seen;
    private readonly List<long>[] _ids;

    public HostBatchBuilder(FeatureLayout layout)
    {
        _layout = layout;
        _seen = layout.Tables.Select(_ => new Dictionary<int, int>()).ToArray();
        _ids = layout.Tables.Select(_ => new List<long>()).ToArray();
    }

    /// <summary>The batch of the given rows; with <paramref name="dropout"/> (training), ids are dropped to OOV with the draws of <paramref name="step"/>.</summary>
    public HostBatch Build(EncodedSplit split, ReadOnlySpan<int> rows, IdDropout? dropout = null, long step = 0)
    {
        var draws = dropout?.Draws(step);
        int b = rows.Length;
        foreach (var s in _seen) s.Clear();
        foreach (var l in _ids) l.Clear();
        var cats = _layout.Categorical;
        var local = new long[cats.Count][];
        var listRow = new long[]?[cats.Count];
        var listCount = new float[]?[cats.Count];
        for (int c = 0; c < cats.Count; c++)
        {
            var input = cats[c];
            var ids = split.Ids[input.Feature];
            var seen = _seen[input.Table];
            var tableIds = _ids[input.Table];
            if (!input.IsList)
            {
                var loc = new long[b];
                for (int i = 0; i < b; i++)
                    loc[i] = LocalOf(draws is null ? ids[rows[i]] : dropout!.Apply(c, ids[rows[i]], draws), seen, tableIds);
                local[c] = loc;
                continue;
            }
            var offsets = split.ListOffsets[input.Feature];
            int total = 0;
            for (int i = 0; i < b; i++) total += offsets[rows[i] + 1] - offsets[rows[i]];
            var items = new long[total];
            var owner = new long[total];
            var count = new float[b];
            int k = 0;
            for (int i = 0; i < b; i++)
            {
                int start = offsets[rows[i]], end = offsets[rows[i] + 1];
                count[i] = Math.Max(1, end - start);
                for (int j = start; j < end; j++)
                {
                    items[k] = LocalOf(ids[j], seen, tableIds);
                    owner[k] = i;
                    k++;
                }
            }
            local[c] = items;
            listRow[c] = owner;
            listCount[c] = count;
        }

        int width = _layout.DenseWidth;
        var dense = new float[b * width];
        foreach (var d in _layout.Dense)
        {
            var values = d.Projection > 0 ? split.Piecewise[d.Feature] : split.Dense[d.Feature];
            for (int i = 0; i < b; i++)
                Array.Copy(values, (long)rows[i] * d.Width, dense, (long)i * width + d.Offset, d.Width);
        }
        var source = new int[b];
        for (int i = 0; i < b; i++) source[i] = split.Source[rows[i]];
        return new HostBatch
        {
            Size = b,
            TableIds = _ids.Select(l => l.ToArray()).ToArray(),
            Local = local,
            ListRow = listRow,
            ListCount = listCount,
            Dense = dense,
            Source = source,
        };
    }

    private static long LocalOf(int id, Dictionary<int, int> seen, List<long> tableIds)
    {
        if (!seen.TryGetValue(id, out var l))
        {
            l = tableIds.Count;
            seen[id] = l;
            tableIds.Add(id);
        }
        return l;
    }
}
