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
/// <item>list features: the list length; a list with a table of its own (topics) as a count per id (a
/// multi-hot), up to <c>smallListVocabulary</c> ids;</item>
/// <item>a list that reads the table of a single categorical feature in use (history_shows and show_id):
/// how often the row's id occurs in it ("has listened to this show"), and what a tabular practitioner
/// derives from the listed items' own attributes, looked up from the rows where each id appears as the
/// candidate (the other features of that feature's group: a show's genre, topics, content vector): the
/// list's share per genre and the share of the row's own genre; its topic shares and the share of the
/// row's topics among them; the cosine similarity of the row's vector to the list's mean vector.
/// Ids themselves carry no order a tree can use, so large lists are not one-hot encoded;</item>
/// <item>optionally the source as a categorical feature (models trained on several sources).</item>
/// </list>
/// </summary>
public sealed class PeerFeatures
{
    private readonly List<Slot> _dense = [];
    private readonly List<CatBlock> _categorical = [];
    private readonly int _denseWidth;
    private readonly Dictionary<string, object> _lookups = new(StringComparer.Ordinal);

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
                        foreach (var attribute in used.Where(a => a.Group == partner.Group && a != partner && Owner(a) != Owner(f)))
                            offset = AddDerived(f, partner, 1 + owner.OovBuckets, attribute, splits, offset);
                        break;
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
            SlotKind.ItemShares => $"{s.Feature}: share of its items per {s.Attribute} ({s.Width})",
            SlotKind.ItemOwnShare => $"{s.Feature}: share of its items with the row's {s.Attribute}",
            SlotKind.ItemListShares => $"{s.Feature}: {s.Attribute} shares over its items ({s.Width})",
            SlotKind.ItemListOverlap => $"{s.Feature}: share of the row's {s.Attribute} among its items'",
            SlotKind.ItemCosine => $"{s.Feature}: cosine of the row's {s.Attribute} to its items' mean",
            _ => s.Feature,
        }).Concat(_categorical.Select(c => $"{c.Feature ?? "source"}: categorical ({c.Size} values)")).ToList();
    }

    public static PeerFeatures Plan(DatasetConfig dataset, IReadOnlyList<FeatureGroup> groups, IReadOnlyList<string> exclude,
                                    IReadOnlyList<EncodedSplit> splits, bool includeSource = false, bool categorical = true,
                                    int smallListVocabulary = 1024) =>
        new(dataset, groups, exclude, splits, includeSource, categorical, smallListVocabulary);

    /// <summary>Slots of the flattened vector.</summary>
    public int Width { get; }

    /// <summary>One line per input column of the tree model (for reports).</summary>
    public IReadOnlyList<string> Description { get; }

    /// <summary>
    /// The row's non-zero dense slots by name: the slot's description (<see cref="Description"/>), with
    /// "[j]" for the j-th value of a slot holding several (for reports and tests).
    /// </summary>
    public IReadOnlyDictionary<string, float> Explain(EncodedSplit split, int row)
    {
        var (idx, val) = Row(split, row);
        var result = new Dictionary<string, float>(StringComparer.Ordinal);
        for (int d = 0; d < _dense.Count; d++)
        {
            var s = _dense[d];
            for (int i = 0; i < idx.Length; i++)
                if (idx[i] >= s.Offset && idx[i] < s.Offset + s.Width)
                    result[s.Width == 1 ? Description[d] : $"{Description[d]}[{idx[i] - s.Offset}]"] = val[i];
        }
        return result;
    }

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
                case SlotKind.ItemShares or SlotKind.ItemOwnShare or SlotKind.ItemListShares or SlotKind.ItemListOverlap or SlotKind.ItemCosine:
                    Derived(s, split, row, Put);
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

    /// <summary>Slots derived from the attribute of a list's items; returns the next free offset.</summary>
    private int AddDerived(FeatureSpec list, FeatureSpec partner, int firstVocabularyId, FeatureSpec attribute, IReadOnlyList<EncodedSplit> splits, int offset)
    {
        int items = MaxId(splits, partner.Name) + 1;
        void Learn(Action<EncodedSplit, int, int> learn) => LearnFrom(splits, partner.Name, firstVocabularyId, learn);
        string key = attribute.Name;
        switch (attribute.Kind)
        {
            case FeatureKind.Categorical:
            {
                var of = new int[]?[items]; // one value per item, in the list attribute's shape (see Derived)
                Learn((split, r, id) => of[id] ??= [split.Ids[attribute.Name][r]]);
                _lookups[key] = of;
                int width = MaxId(splits, attribute.Name) + 1;
                _dense.Add(new Slot(SlotKind.ItemShares, list.Name, offset, width, partner.Name, 0, attribute.Name));
                _dense.Add(new Slot(SlotKind.ItemOwnShare, list.Name, offset + width, 1, partner.Name, 0, attribute.Name));
                return offset + width + 1;
            }
            case FeatureKind.CategoricalList:
            {
                var of = new int[]?[items];
                Learn((split, r, id) =>
                {
                    var o = split.ListOffsets[attribute.Name];
                    of[id] ??= split.Ids[attribute.Name][o[r]..o[r + 1]];
                });
                _lookups[key] = of;
                int width = MaxId(splits, attribute.Name) + 1;
                _dense.Add(new Slot(SlotKind.ItemListShares, list.Name, offset, width, partner.Name, 0, attribute.Name));
                _dense.Add(new Slot(SlotKind.ItemListOverlap, list.Name, offset + width, 1, partner.Name, 0, attribute.Name));
                return offset + width + 1;
            }
            case FeatureKind.Vector:
            {
                var of = new float[]?[items];
                int dim = attribute.Dim;
                Learn((split, r, id) => of[id] ??= split.Dense[attribute.Name].AsSpan(r * dim, dim).ToArray());
                _lookups[key] = of;
                _dense.Add(new Slot(SlotKind.ItemCosine, list.Name, offset, 1, partner.Name, 0, attribute.Name));
                return offset + 1;
            }
            default:
                return offset;
        }
    }

    /// <summary>
    /// Calls <paramref name="learn"/> for every row of every split with the row's id of <paramref name="partner"/>,
    /// except out-of-vocabulary ids (below <paramref name="firstVocabularyId"/>), which many items share.
    /// </summary>
    private static void LearnFrom(IReadOnlyList<EncodedSplit> splits, string partner, int firstVocabularyId, Action<EncodedSplit, int, int> learn)
    {
        foreach (var split in splits)
        {
            if (!split.Ids.TryGetValue(partner, out var ids)) continue;
            for (int r = 0; r < split.Count; r++)
                if (ids[r] >= firstVocabularyId) learn(split, r, ids[r]);
        }
    }

    private void Derived(Slot s, EncodedSplit split, int row, Action<int, float> put)
    {
        var o = split.ListOffsets[s.Feature];
        var items = split.Ids[s.Feature].AsSpan(o[row], o[row + 1] - o[row]);
        switch (s.Kind)
        {
            case SlotKind.ItemShares or SlotKind.ItemOwnShare:
            {
                var of = (int[]?[])_lookups[s.Attribute!];
                var (counts, known) = ItemCounts(items, of);
                if (known == 0) return;
                if (s.Kind == SlotKind.ItemOwnShare)
                {
                    put(s.Offset, counts.GetValueOrDefault(split.Ids[s.Attribute!][row]) / (float)known);
                    return;
                }
                foreach (var (value, c) in counts)
                    if (value < s.Width) put(s.Offset + value, c / (float)known);
                return;
            }
            case SlotKind.ItemListShares or SlotKind.ItemListOverlap:
            {
                var (counts, known) = ItemCounts(items, (int[]?[])_lookups[s.Attribute!]);
                if (known == 0) return;
                if (s.Kind == SlotKind.ItemListOverlap)
                {
                    var ro = split.ListOffsets[s.Attribute!];
                    var own = split.Ids[s.Attribute!].AsSpan(ro[row], ro[row + 1] - ro[row]);
                    if (own.IsEmpty) return;
                    int hits = 0;
                    foreach (var v in own) if (counts.ContainsKey(v)) hits++;
                    put(s.Offset, hits / (float)own.Length);
                    return;
                }
                foreach (var (value, c) in counts)
                    if (value < s.Width) put(s.Offset + value, c / (float)known);
                return;
            }
            case SlotKind.ItemCosine:
            {
                var of = (float[]?[])_lookups[s.Attribute!];
                var dense = split.Dense[s.Attribute!];
                int dim = dense.Length / Math.Max(1, split.Count);
                var mean = new double[dim];
                int known = 0;
                foreach (var id in items)
                    if (id < of.Length && of[id] is { } v)
                    {
                        known++;
                        for (int j = 0; j < dim; j++) mean[j] += v[j];
                    }
                if (known == 0) return;
                double dot = 0, a = 0, b = 0;
                for (int j = 0; j < dim; j++)
                {
                    double x = dense[(long)row * dim + j], m = mean[j] / known;
                    dot += x * m;
                    a += x * x;
                    b += m * m;
                }
                if (a > 0 && b > 0) put(s.Offset, (float)(dot / Math.Sqrt(a * b)));
                return;
            }
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

    /// <summary>Per attribute value, how many of the items have it; and how many items have a known attribute.</summary>
    private static (SortedDictionary<int, int> Counts, int Known) ItemCounts(ReadOnlySpan<int> items, int[]?[] valuesOf)
    {
        var counts = new SortedDictionary<int, int>();
        int known = 0;
        foreach (var id in items)
        {
            if (id >= valuesOf.Length || valuesOf[id] is not { } values) continue;
            known++;
            foreach (var v in values) counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        return (counts, known);
    }

    private enum SlotKind { Numeric, Vector, ListLength, ListOverlap, ListCounts, Source, Id, ItemShares, ItemOwnShare, ItemListShares, ItemListOverlap, ItemCosine }

    /// <param name="Attribute">For slots derived from a list's items: the items' attribute (genre, topics, a content vector).</param>
    private sealed record Slot(SlotKind Kind, string Feature, int Offset, int Width, string? Partner, int FirstVocabularyId, string? Attribute = null);

    private sealed record CatBlock(string? Feature, int Start, int Size);
}
