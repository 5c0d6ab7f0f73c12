using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>
/// Flattens encoded features into one sparse float vector per row for a tree model:
/// <list type="bullet">
/// <item>numeric and vector features: their standardised values, one slot each;</item>
/// <item>categorical features: a one-hot block over the feature's ids, declared as a categorical slot
/// range so ML.NET's LightGBM turns it back into one categorical feature (LightGBM's own categorical
/// splits); with <c>categorical: false</c>, the id itself as a number (ids are frequency ranks);</item>
/// <item>list features: the list length; when the list reads the table of a single categorical feature
/// in use (history_shows and show_id), how often the row's id occurs in the list ("has listened to
/// this show"); and for small vocabularies (at most <c>smallListVocabulary</c> ids, e.g. topics) a
/// count per id. Embedding-style pooling of large lists is skipped: ids carry no order a tree can use;</item>
/// <item>optionally the source as a categorical feature (models trained on several sources).</item>
/// </list>
/// </summary>
public sealed class PeerFeatures
{
    private readonly List<Slot> _dense = [];
    private readonly List<CatBlock> _categorical = [];
    private readonly int _denseWidth;

    private PeerFeatures(DatasetConfig dataset, IReadOnlyList<FeatureGroup> groups, IReadOnlyList<string> exclude,
                         IReadOnlyList<EncodedSplit> splits, bool includeSource, bool categorical, int smallListVocabulary)
    {
        var used = dataset.Features.Where(f => groups.Contains(f.Group) && !exclude.Contains(f.Name)).OrderBy(f => f.Group).ToList();
        int offset = 0;
        string Owner(FeatureSpec f) => f.ShareTable ?? f.Name;
        var singles = used.Where(f => f.Kind == FeatureKind.Categorical).ToList();
        foreach (var f in used)
        {
            switch (f.Kind)
            {
                case FeatureKind.Numeric:
                    _dense.Add(new Slot(SlotKind.Numeric, f.Name, offset++, 1, null, 0));
                    break;
                case FeatureKind.Vector:
                    _dense.Add(new Slot(SlotKind.Vector, f.Name, offset, f.Dim, null, 0));
                    offset += f.Dim;
                    break;
                case FeatureKind.CategoricalList:
                    _dense.Add(new Slot(SlotKind.ListLength, f.Name, offset++, 1, null, 0));
                    var partner = singles.FirstOrDefault(g => Owner(g) == Owner(f));
                    if (partner is not null)
                    {
                        var owner = dataset.Feature(Owner(f))!;
                        _dense.Add(new Slot(SlotKind.ListOverlap, f.Name, offset++, 1, partner.Name, 1 + owner.OovBuckets));
                    }
                    var ids = MaxId(splits, f.Name) + 1;
                    if (ids <= smallListVocabulary)
                    {
                        _dense.Add(new Slot(SlotKind.ListCounts, f.Name, offset, ids, null, 0));
                        offset += ids;
                    }
                    break;
            }
        }
        _denseWidth = offset;
        if (includeSource)
        {
            if (categorical) _categorical.Add(new CatBlock(null, 0, Math.Max(2, dataset.Source.Values.Count)));
            else _dense.Add(new Slot(SlotKind.Source, "source", _denseWidth++, 1, null, 0));
        }
        foreach (var f in singles)
        {
            if (categorical) _categorical.Add(new CatBlock(f.Name, 0, Math.Max(2, MaxId(splits, f.Name) + 1)));
            else _dense.Add(new Slot(SlotKind.Id, f.Name, _denseWidth++, 1, null, 0));
        }
        int start = _denseWidth;
        for (int i = 0; i < _categorical.Count; i++)
        {
            _categorical[i] = _categorical[i] with { Start = start };
            start += _categorical[i].Size;
        }
        Width = start;
        Description = _dense.Select(s => s.Kind switch
        {
            SlotKind.ListLength => $"{s.Feature}: length",
            SlotKind.ListOverlap => $"{s.Feature}: occurrences of {s.Partner}",
            SlotKind.ListCounts => $"{s.Feature}: count per id ({s.Width})",
            SlotKind.Id => $"{s.Feature}: id as a number",
            SlotKind.Vector => $"{s.Feature}: {s.Width} values",
            _ => s.Feature,
        }).Concat(_categorical.Select(c => $"{c.Feature ?? "source"}: categorical ({c.Size} values)")).ToList();
    }

    public static PeerFeatures Plan(DatasetConfig dataset, IReadOnlyList<FeatureGroup> groups, IReadOnlyList<string> exclude,
                                    IReadOnlyList<EncodedSplit> splits, bool includeSource = false, bool categorical = true,
                                    int smallListVocabulary = 64) =>
        new(dataset, groups, exclude, splits, includeSource, categorical, smallListVocabulary);

    /// <summary>Slots of the flattened vector.</summary>
    public int Width { get; }

    /// <summary>One line per input column of the tree model (for reports).</summary>
    public IReadOnlyList<string> Description { get; }

    /// <summary>Categorical slot ranges as [start, end] pairs (inclusive), ML.NET's CategoricalSlotRanges annotation.</summary>
    public int[] CategoricalRanges() => _categorical.SelectMany(c => new[] { c.Start, c.Start + c.Size - 1 }).ToArray();

    /// <summary>The row's non-zero slots in ascending order.</summary>
    public (int[] Indices, float[] Values) Row(EncodedSplit split, int row)
    {
        var idx = new List<int>(_dense.Count + _categorical.Count + 8);
        var val = new List<float>(idx.Capacity);
        foreach (var s in _dense)
        {
            switch (s.Kind)
            {
                case SlotKind.Numeric:
                    Put(s.Offset, split.Dense[s.Feature][row]);
                    break;
                case SlotKind.Vector:
                    var v = split.Dense[s.Feature];
                    for (int j = 0; j < s.Width; j++) Put(s.Offset + j, v[(long)row * s.Width + j]);
                    break;
                case SlotKind.ListLength:
                    var off = split.ListOffsets[s.Feature];
                    Put(s.Offset, off[row + 1] - off[row]);
                    break;
                case SlotKind.ListOverlap:
                {
                    var o = split.ListOffsets[s.Feature];
                    var items = split.Ids[s.Feature];
                    var id = split.Ids[s.Partner!][row];
                    int hits = 0;
                    if (id >= s.FirstVocabularyId)
                        for (int j = o[row]; j < o[row + 1]; j++)
                            if (items[j] == id) hits++;
                    Put(s.Offset, hits);
                    break;
                }
                case SlotKind.ListCounts:
                {
                    var o = split.ListOffsets[s.Feature];
                    var items = split.Ids[s.Feature];
                    var counts = new SortedDictionary<int, int>();
                    for (int j = o[row]; j < o[row + 1]; j++)
                        if (items[j] < s.Width) counts[items[j]] = counts.GetValueOrDefault(items[j]) + 1;
                    foreach (var (id, c) in counts) Put(s.Offset + id, c);
                    break;
                }
                case SlotKind.Source:
                    Put(s.Offset, split.Source[row]);
                    break;
                case SlotKind.Id:
                    Put(s.Offset, split.Ids[s.Feature][row]);
                    break;
            }
        }
        foreach (var c in _categorical)
        {
            var id = c.Feature is null ? split.Source[row] : split.Ids[c.Feature][row];
            idx.Add(c.Start + Math.Clamp(id, 0, c.Size - 1));
            val.Add(1f);
        }
        return (idx.ToArray(), val.ToArray());

        void Put(int slot, float value)
        {
            if (value == 0) return;
            idx.Add(slot);
            val.Add(value);
        }
    }

    private static int MaxId(IReadOnlyList<EncodedSplit> splits, string feature)
    {
        int max = 0;
        foreach (var s in splits)
            if (s.Ids.TryGetValue(feature, out var ids))
                foreach (var id in ids) max = Math.Max(max, id);
        return max;
    }

    private enum SlotKind { Numeric, Vector, ListLength, ListOverlap, ListCounts, Source, Id }

    private sealed record Slot(SlotKind Kind, string Feature, int Offset, int Width, string? Partner, int FirstVocabularyId);

    private sealed record CatBlock(string? Feature, int Start, int Size);
}
