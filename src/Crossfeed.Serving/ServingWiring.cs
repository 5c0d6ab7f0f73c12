using Crossfeed.Serving.Features;
using Crossfeed.Training;

namespace Crossfeed.Serving;

/// <summary>
/// The one place where the service meets the ranker and the feature stores that are built on their own
/// branches: <c>serve</c> takes both from here, tests pass their own.
/// </summary>
public static class ServingWiring
{
    /// <summary>Builds the ranker that serves a loaded bundle.</summary>
    public static Func<TrainedModel, IRanker> Ranker { get; } =
        _ => throw new NotImplementedException("CandidateRanker lands in s1-serving");

    /// <summary>Opens the store named by <c>--features</c>: a snapshot folder or redis://HOST:PORT.</summary>
    public static Func<string, IFeatureStore> OpenFeatureStore { get; } =
        _ => throw new NotImplementedException("FeatureStores.Open lands in s3-serving");
}
