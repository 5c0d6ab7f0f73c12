using System.Text.Json.Serialization;

namespace Crossfeed.Serving;

/// <summary>
/// One candidate: the caller's id, its source (a source of the model, e.g. promotion or ad), the show it
/// promotes, for ads the creative and campaign, and any features inline (they win over the store's).
/// </summary>
public sealed record CandidateInput(
    string? Id,
    string? Source,
    string? ShowId,
    string? CreativeId,
    string? CampaignId,
    [property: JsonConverter(typeof(FeatureMapConverter))] IReadOnlyDictionary<string, object?>? Features);
