using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

/// <summary>The behaviour every feature store owes the service, run against each implementation.</summary>
public abstract class FeatureStoreContract(FeatureLogFixture log)
{
    protected FeatureLogFixture Log { get; } = log;

    /// <summary>A store serving the snapshot folder <paramref name="snapshotDir"/>.</summary>
    protected abstract IFeatureStore Open(string snapshotDir);

    [Fact]
    public async Task Serves_the_latest_values_of_each_user_show_and_creative()
    {
        using var store = Open(Log.Latest);
        foreach (var ((kind, id), expected) in FeatureTestLog.Latest())
            FeatureTestLog.AssertSameValues(expected, await store.GetAsync(kind, id), $"{kind} {id}");
    }

    [Fact]
    public async Task An_as_of_snapshot_serves_the_values_before_the_cut_and_not_later_entities()
    {
        using var store = Open(Log.AtCut);
        foreach (var ((kind, id), expected) in FeatureTestLog.AtCut())
            FeatureTestLog.AssertSameValues(expected, await store.GetAsync(kind, id), $"{kind} {id}");
        Assert.Null(await store.GetAsync(EntityKind.Show, "s3"));
        Assert.Null(await store.GetAsync(EntityKind.Creative, "c3"));
    }

    [Fact]
    public async Task Unknown_ids_and_ids_of_another_kind_are_null()
    {
        using var store = Open(Log.Latest);
        Assert.Null(await store.GetAsync(EntityKind.User, "2"));
        Assert.Null(await store.GetAsync(EntityKind.User, "s1"));
        Assert.Null(await store.GetAsync(EntityKind.Show, "c1"));
        Assert.Null(await store.GetAsync(EntityKind.Creative, "1"));
    }

    [Fact]
    public async Task Concurrent_reads_all_see_the_same_values()
    {
        using var store = Open(Log.Latest);
        var expected = FeatureTestLog.Latest()[(EntityKind.User, FeatureTestLog.BigUser)];
        var reads = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => store.GetAsync(EntityKind.User, FeatureTestLog.BigUser).AsTask()));
        foreach (var got in reads) FeatureTestLog.AssertSameValues(expected, got, "user " + FeatureTestLog.BigUser);
    }
}
