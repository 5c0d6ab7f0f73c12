using Crossfeed.Core;
using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

/// <summary>The store contract against a real redis-server, each test on a prefix of its own.</summary>
public sealed class RedisFeatureStoreTests(FeatureLogFixture log, RedisServerFixture redis)
    : FeatureStoreContract(log), IClassFixture<FeatureLogFixture>, IClassFixture<RedisServerFixture>
{
    protected override IFeatureStore Open(string snapshotDir)
    {
        var address = redis.Address("test");
        var loaded = RedisFeatureLoader.LoadAsync(snapshotDir, address, batchSize: 2).GetAwaiter().GetResult();
        var manifest = snapshotDir == Log.Latest ? Log.LatestManifest : Log.AtCutManifest;
        foreach (var t in manifest.Tables) Assert.Equal(t.Rows, loaded.Single(kv => EntityKindsName(kv.Key) == t.Entity).Value);
        var store = FeatureStores.Open(address);
        Assert.IsType<RedisFeatureStore>(store);
        return store;
    }

    private static string EntityKindsName(EntityKind kind) => kind.ToString().ToLowerInvariant();

    [Fact]
    public void A_prefix_without_a_loaded_snapshot_is_refused_with_one_line()
    {
        var address = redis.Address("empty");
        var e = Assert.Throws<BadInputException>(() => FeatureStores.Open(address));
        Assert.Contains("no feature snapshot under prefix", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_unreachable_redis_is_bad_input_with_one_line()
    {
        var e = Assert.Throws<BadInputException>(() => FeatureStores.Open($"redis://127.0.0.1:{RedisServerFixture.FreePort()}"));
        Assert.Contains("cannot connect to Redis", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
