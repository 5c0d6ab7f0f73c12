namespace Crossfeed.Data;

/// <summary>
/// One embedding table's vocabulary, owned by a categorical feature and possibly shared by others.
/// Id layout: 0 = missing (null value; also the padding row), 1..OovBuckets = out-of-vocabulary rows
/// (unseen or rarer than MinCount; with several buckets a stable hash of the value picks one), then the
/// vocabulary in order (most frequent first, ties by key). With HashBuckets &gt; 0 there is no
/// vocabulary: id = 1 + hash(value) mod HashBuckets. Keys are canonical text: integers as invariant
/// decimal ("42"), so a value encodes the same whether a file stores it as a number or as text.
/// </summary>
public sealed class CategoricalTable
{
    public const int MissingId = 0;

    private readonly Dictionary<long, int> _longIds = [];
    private readonly Dictionary<string, int> _textIds = new(StringComparer.Ordinal);

    public CategoricalTable(string name, IReadOnlyList<string> features, int minCount, int oovBuckets, int hashBuckets, IReadOnlyList<string> vocabulary)
    {
        if (oovBuckets < 1) throw new ArgumentOutOfRangeException(nameof(oovBuckets), "at least one OOV bucket");
        if (hashBuckets > 0 && vocabulary.Count > 0) throw new ArgumentException("a hashed table has no vocabulary", nameof(vocabulary));
        Name = name;
        Features = features;
        MinCount = minCount;
        OovBuckets = oovBuckets;
        HashBuckets = hashBuckets;
        Vocabulary = vocabulary;
        int id = FirstVocabularyId;
        foreach (var key in vocabulary)
        {
            bool added = CategoryKeys.TryCanonicalLong(key, out var l) ? _longIds.TryAdd(l, id) : _textIds.TryAdd(key, id);
            if (!added) throw new ArgumentException($"table '{name}': vocabulary lists '{key}' twice", nameof(vocabulary));
            id++;
        }
    }

    /// <summary>The owning feature's name.</summary>
    public string Name { get; }
    /// <summary>Features that read this table, the owner first.</summary>
    public IReadOnlyList<string> Features { get; }
    public int MinCount { get; }
    public int OovBuckets { get; }
    public int HashBuckets { get; }
    /// <summary>Canonical keys in id order; key i has id FirstVocabularyId + i.</summary>
    public IReadOnlyList<string> Vocabulary { get; }
    public int FirstVocabularyId => 1 + OovBuckets;
    /// <summary>Rows the embedding table needs.</summary>
    public int Rows => HashBuckets > 0 ? 1 + HashBuckets : 1 + OovBuckets + Vocabulary.Count;

    public int IdOf(long value)
    {
        if (HashBuckets > 0) return 1 + StableHash.Bucket(StableHash.Of(value), HashBuckets);
        if (_longIds.TryGetValue(value, out var id)) return id;
        return OovBuckets == 1 ? 1 : 1 + StableHash.Bucket(StableHash.Of(value), OovBuckets);
    }

    /// <summary>The id of a value given as text; null is <see cref="MissingId"/>.</summary>
    public int IdOf(string? value)
    {
        if (value is null) return MissingId;
        if (CategoryKeys.TryCanonicalLong(value, out var l)) return IdOf(l);
        if (HashBuckets > 0) return 1 + StableHash.Bucket(StableHash.Of(value), HashBuckets);
        if (_textIds.TryGetValue(value, out var id)) return id;
        return OovBuckets == 1 ? 1 : 1 + StableHash.Bucket(StableHash.Of(value), OovBuckets);
    }

    internal int IdOf(in CategoryValue v)
    {
        if (v.IsNull) return MissingId;
        if (v.IsLong) return IdOf(v.Long);
        var s = v.Text!;
        if (HashBuckets > 0) return 1 + StableHash.Bucket(StableHash.Of(s), HashBuckets);
        if (_textIds.TryGetValue(s, out var id)) return id;
        return OovBuckets == 1 ? 1 : 1 + StableHash.Bucket(StableHash.Of(s), OovBuckets);
    }

    /// <summary>True when the id is an out-of-vocabulary row.</summary>
    public bool IsOov(int id) => HashBuckets == 0 && id >= 1 && id <= OovBuckets;
}
