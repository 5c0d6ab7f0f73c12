namespace Crossfeed.Serving;

/// <summary>
/// The answer of <c>POST /v1/rank</c>: the model that scored, the objective, the candidates best first and
/// every value that was not used as given (unknown ids, missing features: scored with the OOV row).
/// </summary>
public sealed record RankResponse(
    string ModelName,
    string ModelVersion,
    string Objective,
    IReadOnlyList<RankedCandidate> Candidates,
    IReadOnlyList<string> Fallbacks);
