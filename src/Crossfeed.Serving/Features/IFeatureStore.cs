namespace Crossfeed.Serving.Features;

/// <summary>
/// The latest raw feature values of an entity by id, keyed by the dataset YAML's column names (the same
/// values <see cref="Training.Ranking.RankCandidate"/> takes); null when the id is unknown. Implementations
/// are safe to call from many requests at once.
/// </summary>
public interface IFeatureStore : IDisposable
{
    /// <summary>A short description for logs and /readyz, e.g. "memory: 50,000 users, 3,000 shows" or "redis://127.0.0.1:6379".</summary>
    string Description { get; }

    ValueTask<IReadOnlyDictionary<string, object?>?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default);
}
