using System.Globalization;
using System.Text;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Serving.Features;

/// <summary>
/// The text form of one entity's values in Redis, version <see cref="Version"/>:
/// <c>{"v":1,"f":{"country":{"s":"se"},"followed_count":{"l":12},"minutes":{"d":3.5},"premium":{"b":true},
/// "history_shows":{"L":[4,9]},"topics":{"S":["news",null]},"show_embedding":{"D":[0.25,-1]},"genre":null}}</c>.
/// Each value carries its type, so a long and an integral double (12 vs 12.0) stay apart; doubles are written
/// in their shortest round-trip form (NaN and infinities as the strings "NaN", "Infinity", "-Infinity"), so
/// every value decodes to exactly what was encoded.
/// </summary>
public static class FeatureValueCodec
{
    public const int Version = 1;

    public static string Encode(IReadOnlyDictionary<string, object?> values)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", Version);
            w.WriteStartObject("f");
            foreach (var (name, value) in values)
            {
                w.WritePropertyName(name);
                WriteValue(w, name, value);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        switch (value)
        {
            case string s: w.WriteString("s", s); break;
            case long l: w.WriteNumber("l", l); break;
            case double d: w.WritePropertyName("d"); WriteDouble(w, d); break;
            case bool b: w.WriteBoolean("b", b); break;
            case string?[] ss:
                w.WriteStartArray("S");
                foreach (var s in ss) w.WriteStringValue(s);
                w.WriteEndArray();
                break;
            case long[] ls:
                w.WriteStartArray("L");
                foreach (var l in ls) w.WriteNumberValue(l);
                w.WriteEndArray();
                break;
            case double[] ds:
                w.WriteStartArray("D");
                foreach (var d in ds) WriteDouble(w, d);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"feature '{name}': a {value.GetType().Name} cannot be stored (expected string, long, double, bool or an array of string, long or double)");
        }
        w.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d)) w.WriteNumberValue(d);
        else w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Reads <see cref="Encode"/> output; another version or malformed text is a <see cref="BadInputException"/> naming <paramref name="origin"/>.</summary>
    public static IReadOnlyDictionary<string, object?> Decode(string text, string origin)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var version = root.GetProperty("v").GetInt32();
            if (version != Version) throw new FormatException($"value format version {version}, this build reads version {Version}");
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in root.GetProperty("f").EnumerateObject()) values[p.Name] = ReadValue(p.Value);
            return values;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw BadInputException.At(origin, null, null, $"not a Crossfeed feature value: {e.Message}");
        }
    }

    private static object? ReadValue(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        var tagged = e.EnumerateObject().Single();
        var v = tagged.Value;
        return tagged.Name switch
        {
            "s" => v.GetString()!,
            "l" => v.GetInt64(),
            "d" => ReadDouble(v),
            "b" => v.GetBoolean(),
            "S" => v.EnumerateArray().Select(x => x.GetString()).ToArray(),
            "L" => v.EnumerateArray().Select(x => x.GetInt64()).ToArray(),
            "D" => v.EnumerateArray().Select(ReadDouble).ToArray(),
            _ => throw new FormatException($"unknown value type '{tagged.Name}'"),
        };
    }

    private static double ReadDouble(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();
}
