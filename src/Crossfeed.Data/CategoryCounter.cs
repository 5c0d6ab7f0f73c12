namespace Crossfeed.Data;

/// <summary>Counts of categorical values over the training rows (integers and text kept apart, so integers are never turned into strings while counting).</summary>
internal sealed class CategoryCounter
{
    private readonly Dictionary<long, long> _longs = [];
    private readonly Dictionary<string, long> _texts = new(StringComparer.Ordinal);

    public void Add(in CategoryValue v)
    {
        if (v.IsNull) return;
        if (v.IsLong)
        {
            ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_longs, v.Long, out _);
            c++;
        }
        else
        {
            ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_texts, v.Text!, out _);
            c++;
        }
    }

    /// <summary>Values seen at least minCount times, most frequent first, ties by key (ordinal).</summary>
    public List<string> Vocabulary(int minCount)
    {
        var keys = new List<(string Key, long Count)>();
        foreach (var (k, c) in _longs)
            if (c >= minCount) keys.Add((k.ToString(System.Globalization.CultureInfo.InvariantCulture), c));
        foreach (var (k, c) in _texts)
            if (c >= minCount) keys.Add((k, c));
        keys.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
        return keys.Select(k => k.Key).ToList();
    }
}
