using Crossfeed.Data;

namespace Crossfeed.Serving.Features;

/// <summary>
/// Writes a feature snapshot folder into Redis for <see cref="RedisFeatureStore"/>: every entity as one
/// string, sent in pipelined batches, then the snapshot.json under <see cref="RedisSpec.SnapshotKey"/>.
/// Loading overwrites the entities it holds and leaves other keys alone (ids missing from the new snapshot
/// keep their old values; load into a new prefix for a clean store).
/// </summary>
public static class RedisFeatureLoader
{
    public static async Task<IReadOnlyDictionary<EntityKind, long>> LoadAsync(string snapshotDir, string spec, int batchSize = 1_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var manifest = FeatureSnapshot.ReadManifest(snapshotDir);
        var target = RedisSpec.Parse(spec);
        using var redis = target.Connect();
        var db = redis.GetDatabase();
        var loaded = new Dictionary<EntityKind, long>();
        foreach (var kind in EntityKinds.All)
        {
            if (manifest.Table(EntityKinds.Group(kind)) is not { } table) continue;
            var pending = new List<Task>(batchSize);
            long count = 0;
            foreach (var (id, values) in FeatureSnapshot.ReadRows(snapshotDir, table))
            {
                var row = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
                for (int i = 0; i < values.Length; i++) row[table.Columns[i]] = values[i];
                pending.Add(db.StringSetAsync(target.EntityKey(kind, id), FeatureValueCodec.Encode(row)));
                count++;
                if (pending.Count == batchSize) await Flush(pending, ct).ConfigureAwait(false);
            }
            await Flush(pending, ct).ConfigureAwait(false);
            loaded[kind] = count;
        }
        await db.StringSetAsync(target.SnapshotKey, manifest.ToJson()).WaitAsync(ct).ConfigureAwait(false);
        return loaded;
    }

    /// <summary>The multiplexer pipelines commands issued without awaiting; waiting per batch bounds what is in flight.</summary>
    private static async Task Flush(List<Task> pending, CancellationToken ct)
    {
        await Task.WhenAll(pending).WaitAsync(ct).ConfigureAwait(false);
        pending.Clear();
    }
}
