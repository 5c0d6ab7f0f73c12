using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving;

/// <summary>
/// Scores one user against many candidates: the seam between the HTTP host and the in-process ranker
/// (<see cref="ServingWiring.Ranker"/> adapts the real one), so limits and overload can be tested with a stand-in.
/// Throws <see cref="Core.BadInputException"/> naming the field for a value the model cannot take.
/// </summary>
public interface IRanker
{
    RankOutput Score(RankInput input);
}
