using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Crossfeed.Serving.Features;

/// <summary>
/// One entity's values as a read-only dictionary over the column index its table shares, so an in-memory
/// store holds one array per entity rather than one dictionary.
/// </summary>
internal sealed class FeatureRow(FrozenDictionary<string, int> columns, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public object? this[string key] => values[columns[key]];

    public IEnumerable<string> Keys => columns.Keys;

    public IEnumerable<object?> Values => columns.Values.Select(i => values[i]);

    public int Count => columns.Count;

    public bool ContainsKey(string key) => columns.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (columns.TryGetValue(key, out var i))
        {
            value = values[i];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        columns.Select(c => new KeyValuePair<string, object?>(c.Key, values[c.Value])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
