using System.Collections;
using System.Text.Json;

namespace Crossfeed.Training.Ranking;

/// <summary>
/// A candidate's own raw values (the columns of its content and creative features, in a fixed order), compared
/// by value: two candidates with equal keys encode to the same row and report the same fallbacks. Values are what
/// a log cell holds (string, whole and real numbers, bool, null, and arrays or lists of those); a whole number and a real
/// number are different keys even when equal (a miss, never a wrong hit).
/// </summary>
internal sealed class CandidateKey : IEquatable<CandidateKey>
{
    private readonly object?[] _values;
    private readonly int _hash;

    private CandidateKey(object?[] values, int hash)
    {
        _values = values;
        _hash = hash;
    }

    /// <summary>The key of <paramref name="features"/> over <paramref name="columns"/>; null when a value is of a kind it cannot compare (JSON, lists of lists).</summary>
    public static CandidateKey? Of(IReadOnlyDictionary<string, object?> features, IReadOnlyList<string> columns)
    {
        var values = new object?[columns.Count];
        for (int i = 0; i < values.Length; i++) values[i] = features.TryGetValue(columns[i], out var x) ? x : null;
        return Of(values);
    }

    /// <summary>
    /// As <see cref="Of(IReadOnlyDictionary{string, object?}, IReadOnlyList{string})"/>, from values already read:
    /// <paramref name="values"/>[<paramref name="positions"/>[i]] is column i's value, <paramref name="absent"/> where not given.
    /// </summary>
    public static CandidateKey? Of(object?[] values, int[] positions, object absent)
    {
        var picked = new object?[positions.Length];
        for (int i = 0; i < picked.Length; i++)
        {
            var v = values[positions[i]];
            picked[i] = ReferenceEquals(v, absent) ? null : v;
        }
        return Of(picked);
    }

    private static CandidateKey? Of(object?[] values)
    {
        var hash = new HashCode();
        foreach (var v in values)
        {
            if (Hash(v) is not { } h) return null;
            hash.Add(h);
        }
        return new CandidateKey(values, hash.ToHashCode());
    }

    public bool Equals(CandidateKey? other)
    {
        if (other is null || other._hash != _hash || other._values.Length != _values.Length) return false;
        for (int i = 0; i < _values.Length; i++)
            if (!Same(_values[i], other._values[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as CandidateKey);

    public override int GetHashCode() => _hash;

    /// <summary>A hash of a value it can compare; null for one it cannot. The common kinds first: this runs per candidate per request.</summary>
    private static int? Hash(object? v) => v switch
    {
        null => 0,
        string s => s.GetHashCode(StringComparison.Ordinal),
        long x => x.GetHashCode(),
        double x => x.GetHashCode(),
        float[] a => HashAll(a),
        long[] a => HashAll(a),
        string[] a => HashAll(a),
        double[] a => HashAll(a),
        int[] a => HashAll(a),
        IList list => Comparable(list) ? HashAll(list.Cast<object?>().ToArray()) : null,
        _ => Scalar(v) ? HashCode.Combine(v.GetType(), v) : null,
    };

    private static bool Comparable(IList list) => ItemType(list) is { } t ? t.IsPrimitive || t == typeof(string) : list.Cast<object?>().All(Scalar);

    /// <summary>The element type of a typed array or List&lt;T&gt;; null for object arrays and lists.</summary>
    private static Type? ItemType(IList list)
    {
        var type = list.GetType();
        var item = type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        return item == typeof(object) ? null : item;
    }

    /// <summary>Null, text or a primitive number or bool: compared by type and value.</summary>
    private static bool Scalar(object? v) => v is null or string or decimal || v.GetType().IsPrimitive;

    private static int HashAll<T>(T[] items)
    {
        var hash = new HashCode();
        hash.Add(typeof(T));
        foreach (var x in items) hash.Add(x);
        return hash.ToHashCode();
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (string[] x, string[] y) => x.AsSpan().SequenceEqual(y),
        (long[] x, long[] y) => x.AsSpan().SequenceEqual(y),
        (int[] x, int[] y) => x.AsSpan().SequenceEqual(y),
        (double[] x, double[] y) => x.AsSpan().SequenceEqual(y),
        (float[] x, float[] y) => x.AsSpan().SequenceEqual(y),
        (IList x, IList y) => x.GetType() == y.GetType() && x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => Same(x[i], y[i])),
        (JsonElement, _) or (_, JsonElement) => false,
        _ => a is not null && a.GetType() == b?.GetType() && a.Equals(b),
    };
}
