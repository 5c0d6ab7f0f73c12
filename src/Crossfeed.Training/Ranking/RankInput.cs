namespace Crossfeed.Training.Ranking;

/// <summary>
/// One ranking request after features were looked up: the user's and the context's raw values (keyed by
/// column name, as in <see cref="RankCandidate"/>) are shared by every candidate.
/// </summary>
public sealed record RankInput(
    IReadOnlyDictionary<string, object?> User,
    IReadOnlyDictionary<string, object?> Context,
    IReadOnlyList<RankCandidate> Candidates);
