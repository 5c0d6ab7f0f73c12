using System.Collections.Frozen;
using System.Globalization;
using Crossfeed.Data;

namespace Crossfeed.Serving.Features;

/// <summary>
/// A feature snapshot (written by <c>crossfeed features</c>) held in memory: loaded once at start-up into
/// frozen dictionaries and never changed afterwards, so any number of concurrent reads is safe. Each
/// replica holds its own copy; use <see cref="RedisFeatureStore"/> when replicas should share one store.
/// </summary>
public sealed class InMemoryFeatureStore : IFeatureStore
{
    private readonly FrozenDictionary<EntityKind, FrozenDictionary<string, IReadOnlyDictionary<string, object?>>> _entities;

    private InMemoryFeatureStore(SnapshotManifest manifest, FrozenDictionary<EntityKind, FrozenDictionary<string, IReadOnlyDictionary<string, object?>>> entities, string dir)
    {
        Manifest = manifest;
        _entities = entities;
        var inv = CultureInfo.InvariantCulture;
        Description = $"memory ({dir}): " + string.Join(", ", EntityKinds.All.Select(k => $"{Count(k).ToString("N0", inv)} {EntityKinds.Name(k)}s"));
    }

    /// <summary>snapshot.json of the loaded snapshot.</summary>
    public SnapshotManifest Manifest { get; }

    public string Description { get; }

    /// <summary>Loads a snapshot folder; a missing or malformed snapshot is a <see cref="Core.BadInputException"/>.</summary>
    public static InMemoryFeatureStore Load(string dir)
    {
        var manifest = FeatureSnapshot.ReadManifest(dir);
        var entities = new Dictionary<EntityKind, FrozenDictionary<string, IReadOnlyDictionary<string, object?>>>();
        foreach (var kind in EntityKinds.All)
        {
            if (manifest.Table(EntityKinds.Group(kind)) is not { } table) continue;
            var columns = table.Columns.Select((c, i) => (c, i)).ToFrozenDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
            var rows = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
            foreach (var (id, values) in FeatureSnapshot.ReadRows(dir, table)) rows[id] = new FeatureRow(columns, values);
            entities[kind] = rows.ToFrozenDictionary(StringComparer.Ordinal);
        }
        return new InMemoryFeatureStore(manifest, entities.ToFrozenDictionary(), dir);
    }

    /// <summary>How many entities of a kind the store holds.</summary>
    public int Count(EntityKind kind) => _entities.TryGetValue(kind, out var rows) ? rows.Count : 0;

    public ValueTask<IReadOnlyDictionary<string, object?>?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_entities.TryGetValue(kind, out var rows) && rows.TryGetValue(id, out var values) ? values : null);

    public void Dispose()
    {
        // Nothing to release: the store is plain managed memory.
    }
}
