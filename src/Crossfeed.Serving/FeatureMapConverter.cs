using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crossfeed.Serving;

/// <summary>
/// Reads a features object straight into what a log cell holds (see <see cref="Training.Ranking.RankCandidate"/>):
/// string, long, double, bool, null, or an array of strings, of whole numbers (long[]) or of numbers (double[]).
/// Anything else (an object, a nested or mixed list) is a <see cref="JsonException"/>, which the service answers
/// with a 400 naming the field. One pass over the request's bytes, no <see cref="JsonElement"/> per value.
/// </summary>
public sealed class FeatureMapConverter : JsonConverter<IReadOnlyDictionary<string, object?>>
{
    private const string Expected = "expected a string, number, boolean, null or an array of strings or numbers";

    public override IReadOnlyDictionary<string, object?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"expected an object of feature values, got {Kind(reader.TokenType)}");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            values[name] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Number => Number(ref reader),
                JsonTokenType.StartArray => List(ref reader, name),
                _ => throw new FeatureValueException($".{name}", $"{Expected}, got {Kind(reader.TokenType)}"),
            };
        }
        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);

    private static object Number(ref Utf8JsonReader reader) => reader.TryGetInt64(out var l) ? l : reader.GetDouble();

    /// <summary>Only strings or only numbers (whole numbers stay long[] unless one is not whole); an empty list is string[0].</summary>
    private static object List(ref Utf8JsonReader reader, string name)
    {
        var texts = new List<string>();
        var numbers = new List<object>();
        int at = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && numbers.Count == 0) texts.Add(reader.GetString()!);
            else if (reader.TokenType == JsonTokenType.Number && texts.Count == 0) numbers.Add(Number(ref reader));
            else if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                throw new FeatureValueException($".{name}[{at}]", $"a list holds only strings or only numbers, got {Kind(reader.TokenType)} mixed with {(texts.Count > 0 ? "strings" : "numbers")}");
            else throw new FeatureValueException($".{name}[{at}]", $"a list holds only strings or only numbers, got {Kind(reader.TokenType)}");
            at++;
        }
        if (numbers.Count == 0) return texts.ToArray();
        return numbers.All(n => n is long) ? numbers.Select(n => (long)n).ToArray() : numbers.Select(Convert.ToDouble).ToArray();
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.Null => "null",
        _ => "a boolean",
    };
}

/// <summary>A feature value the request may not hold; <see cref="Within"/> is its place inside the features object (".genre", ".hour[1]").</summary>
public sealed class FeatureValueException(string within, string message) : JsonException(message)
{
    public string Within { get; } = within;
}
