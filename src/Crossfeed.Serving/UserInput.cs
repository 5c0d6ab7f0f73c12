using System.Text.Json.Serialization;

namespace Crossfeed.Serving;

/// <summary>The user: an id (looked up in the feature store), features given inline, or both (inline wins).</summary>
public sealed record UserInput(string? Id, [property: JsonConverter(typeof(FeatureMapConverter))] IReadOnlyDictionary<string, object?>? Features);
