using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Data;
using StackExchange.Redis;

namespace Crossfeed.Serving.Features;

/// <summary>
/// Features by id from Redis: one string per entity under <c>{prefix}:{kind}:{id}</c> holding its values in
/// <see cref="FeatureValueCodec"/> form, written by <see cref="RedisFeatureLoader"/>. Several service replicas
/// share one Redis store: each opens its own connection, reads are single GETs, and a reload of the snapshot
/// (<c>crossfeed features ... --to-redis</c>) is seen by every replica at once without restarting any of them.
/// The connection multiplexer is thread-safe, so concurrent requests share it.
/// </summary>
public sealed class RedisFeatureStore : IFeatureStore
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;

    private RedisFeatureStore(RedisSpec spec, ConnectionMultiplexer redis, string snapshot)
    {
        Spec = spec;
        _redis = redis;
        _db = redis.GetDatabase();
        Description = $"{spec} ({snapshot})";
    }

    public RedisSpec Spec { get; }

    public string Description { get; }

    /// <summary>
    /// Connects to <c>redis://HOST:PORT[/prefix]</c> and checks that a snapshot is loaded under the prefix; an
    /// unreachable server or an empty prefix is a <see cref="BadInputException"/> with one line.
    /// </summary>
    public static RedisFeatureStore Connect(string spec)
    {
        var parsed = RedisSpec.Parse(spec);
        var redis = parsed.Connect();
        try
        {
            var json = redis.GetDatabase().StringGet(parsed.SnapshotKey);
            if (json.IsNull)
            {
                throw new BadInputException($"{parsed}: no feature snapshot under prefix '{parsed.Prefix}' " +
                                            $"(load one with: crossfeed features --from-snapshot STORE --to-redis {parsed})");
            }
            var manifest = SnapshotManifest.FromJson(json.ToString(), $"{parsed} key {parsed.SnapshotKey}");
            var counts = string.Join(", ", manifest.Tables.Select(t => $"{t.Rows.ToString("N0", CultureInfo.InvariantCulture)} {t.Entity}s"));
            return new RedisFeatureStore(parsed, redis, $"{manifest.Dataset}: {counts}");
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, object?>?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        var key = Spec.EntityKey(kind, id);
        var value = await _db.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : FeatureValueCodec.Decode(value.ToString(), $"{Spec} key {key}");
    }

    public void Dispose() => _redis.Dispose();
}
