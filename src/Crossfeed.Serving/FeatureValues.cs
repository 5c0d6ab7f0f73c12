using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Serving;

/// <summary>
/// Turns inline JSON feature values into what a log cell holds (see <see cref="Training.Ranking.RankCandidate"/>):
/// string, long, double, bool, a string/long/double array, or null. Anything else is refused naming its path.
/// </summary>
public static class FeatureValues
{
    public static Dictionary<string, object?> Convert(IReadOnlyDictionary<string, JsonElement>? features, string path)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (features is null) return values;
        foreach (var (name, element) in features) values[name] = Convert(element, $"{path}.{name}");
        return values;
    }

    public static object? Convert(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.Array => Array(e, path),
        _ => throw new BadInputException($"{path}: expected a string, number, boolean, null or an array of strings or numbers, got {Kind(e)}"),
    };

    private static object Array(JsonElement e, string path)
    {
        var items = e.EnumerateArray().ToArray();
        if (items.All(i => i.ValueKind == JsonValueKind.String)) return items.Select(i => i.GetString()!).ToArray();
        if (items.All(i => i.ValueKind == JsonValueKind.Number))
            return items.All(i => i.TryGetInt64(out _)) ? items.Select(i => i.GetInt64()).ToArray() : items.Select(i => i.GetDouble()).ToArray();
        var bad = System.Array.FindIndex(items, i => i.ValueKind is not (JsonValueKind.String or JsonValueKind.Number));
        var at = bad >= 0 ? bad : 0;
        throw new BadInputException($"{path}[{at}]: a list holds only strings or only numbers, got {Kind(items[at])}{(bad < 0 ? " mixed with numbers" : "")}");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };
}
