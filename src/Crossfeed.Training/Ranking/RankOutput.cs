namespace Crossfeed.Training.Ranking;

/// <summary>
/// Scores in the order the candidates came, and one line per value the model could not use as given
/// (an id unknown to the training vocabulary that fell to the OOV row, a missing feature), so a caller
/// can tell its client. <paramref name="Cached"/>: candidates whose encoder output came from the ranker's candidate cache.
/// </summary>
public sealed record RankOutput(IReadOnlyList<CandidateScores> Candidates, IReadOnlyList<string> Fallbacks, int Cached = 0);
