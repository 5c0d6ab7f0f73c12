using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

/// <summary>A feature store of fixed entries, counting its lookups (the real stores are tested in Feature*/Redis* tests).</summary>
public sealed class RankTestFeatureStore(Dictionary<(EntityKind, string), Dictionary<string, object?>> entries) : IFeatureStore
{
    private int _lookups;

    public string Description => $"test: {entries.Count} entries";
    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask<IReadOnlyDictionary<string, object?>?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(entries.GetValueOrDefault((kind, id)));
    }

    public void Dispose() { }
}
