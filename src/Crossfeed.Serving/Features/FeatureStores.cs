using Crossfeed.Core;

namespace Crossfeed.Serving.Features;

/// <summary>Opens the feature store a <c>--features</c> value names.</summary>
public static class FeatureStores
{
    /// <summary>
    /// <c>redis://HOST:PORT[/prefix]</c>: a <see cref="RedisFeatureStore"/> (shared by every replica pointed at it);
    /// a folder: an <see cref="InMemoryFeatureStore"/> of the snapshot in it. Anything else, an unreachable Redis
    /// or a folder that is no snapshot is a <see cref="BadInputException"/> with one line.
    /// </summary>
    public static IFeatureStore Open(string spec)
    {
        if (RedisSpec.IsRedis(spec)) return RedisFeatureStore.Connect(spec);
        if (spec.Contains("://", StringComparison.Ordinal))
            throw new BadInputException($"{spec}: unknown feature store; expected a snapshot folder (written by crossfeed features) or redis://HOST:PORT[/prefix]");
        if (!Directory.Exists(spec))
            throw new BadInputException($"{spec}: no such folder; expected a snapshot folder (written by crossfeed features) or redis://HOST:PORT[/prefix]");
        return InMemoryFeatureStore.Load(spec);
    }
}
