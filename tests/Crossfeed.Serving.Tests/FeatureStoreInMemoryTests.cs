using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

public sealed class FeatureStoreInMemoryTests(FeatureLogFixture log) : FeatureStoreContract(log), IClassFixture<FeatureLogFixture>
{
    protected override IFeatureStore Open(string snapshotDir)
    {
        var store = FeatureStores.Open(snapshotDir);
        Assert.IsType<InMemoryFeatureStore>(store);
        return store;
    }

    [Fact]
    public void Describes_how_many_entities_it_holds()
    {
        using var store = Open(Log.Latest);
        Assert.Contains("2 users, 3 shows, 3 creatives", store.Description, StringComparison.Ordinal);
    }
}
