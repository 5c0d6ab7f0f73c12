using System.Text.Json.Serialization;

namespace Crossfeed.Serving;

/// <summary>
/// The body of <c>POST /v1/rank</c>: one user, the context shared by every candidate, the candidates and
/// optionally how many of the best to return. Fields are nullable so that a missing one is reported by
/// name (<see cref="RankService"/>) rather than as a deserialisation error.
/// </summary>
public sealed record RankRequest(
    UserInput? User,
    [property: JsonConverter(typeof(FeatureMapConverter))] IReadOnlyDictionary<string, object?>? Context,
    IReadOnlyList<CandidateInput?>? Candidates,
    int? TopK);
