using Crossfeed.Serving.Features;
using Crossfeed.Training;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving;

/// <summary>
/// Where the service meets the in-process ranker and the feature stores: <c>serve</c> takes both from
/// here, tests pass their own (a stand-in ranker for limits and overload).
/// </summary>
public static class ServingWiring
{
    /// <summary>
    /// Builds the ranker that serves a loaded bundle: the factorised <see cref="CandidateRanker"/>, keeping the encoder
    /// output of up to <paramref name="candidateCache"/> candidates across requests (0: none).
    /// </summary>
    public static Func<TrainedModel, IRanker> Ranker(int candidateCache) => model => new Factorised(new CandidateRanker(model, cacheCapacity: candidateCache));

    /// <summary>Opens the store named by <c>--features</c>: a snapshot folder or redis://HOST:PORT.</summary>
    public static Func<string, IFeatureStore> OpenFeatureStore { get; } = FeatureStores.Open;

    private sealed class Factorised(CandidateRanker ranker) : IRanker, IDisposable
    {
        public RankOutput Score(RankInput input) => ranker.Score(input);

        public void Dispose() => ranker.Dispose();
    }
}
