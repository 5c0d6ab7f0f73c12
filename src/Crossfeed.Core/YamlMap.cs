using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Crossfeed.Core;

/// <summary>
/// A YAML mapping with its key path, so every config error names the offending key
/// (e.g. "features[3].kind"). Unknown keys are errors: a typo must never be silently ignored.
/// </summary>
public sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public string File { get; }
    public string Path { get; }

    private YamlMap(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
    }

    public static YamlMap Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new BadInputException($"{file}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException($"{file}: expected a YAML mapping at the top level");
        return new YamlMap(root, file, "");
    }

    public static YamlMap Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new BadInputException($"{path}: file not found");
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    private string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public BadInputException Error(string key, string what) => new($"{File}: {KeyPath(key)}: {what}");

    public BadInputException Error(string what) => new($"{File}: {(Path.Length == 0 ? "" : Path + ": ")}{what}");

    public bool Has(string key) => Node(key) is not null and not YamlScalarNode { Value: null or "" or "~" or "null" };

    private YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    public string? OptString(string key)
    {
        var n = Node(key);
        if (n is null) return null;
        if (n is not YamlScalarNode s) throw Error(key, "expected a single value");
        return s.Value is null or "~" or "null" || (s.Value.Length == 0 && s.Style == ScalarStyle.Plain) ? null : s.Value;
    }

    public string String(string key) => OptString(key) ?? throw Error(key, "is required");

    public string String(string key, string fallback) => OptString(key) ?? fallback;

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var s = OptString(key);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            throw Error(key, $"expected an integer, got '{s}'");
        if (v < min || v > max) throw Error(key, $"must be between {min} and {max}, got {v}");
        return v;
    }

    public double Double(string key, double fallback) => OptDouble(key) ?? fallback;

    public double? OptDouble(string key)
    {
        var s = OptString(key);
        if (s is null) return null;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw Error(key, $"expected a finite number, got '{s}'");
        return v;
    }

    public bool Bool(string key, bool fallback)
    {
        var s = OptString(key);
        if (s is null) return fallback;
        return s.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(key, $"expected true or false, got '{s}'"),
        };
    }

    public TEnum Enum<TEnum>(string key, TEnum fallback) where TEnum : struct, Enum
    {
        var s = OptString(key);
        if (s is null) return fallback;
        var norm = s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (System.Enum.TryParse<TEnum>(norm, ignoreCase: true, out var v) && !int.TryParse(norm, out _)) return v;
        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(ToSnake));
        throw Error(key, $"unknown value '{s}' (expected one of: {allowed})");
    }

    public IReadOnlyList<string> Strings(string key)
    {
        var n = Node(key);
        switch (n)
        {
            case null:
                return Array.Empty<string>();
            case YamlScalarNode s when s.Value is null or "" or "~" or "null":
                return Array.Empty<string>();
            case YamlSequenceNode seq:
                var list = new List<string>(seq.Children.Count);
                for (int i = 0; i < seq.Children.Count; i++)
                {
                    if (seq.Children[i] is not YamlScalarNode item || item.Value is null)
                        throw Error($"{key}[{i}]", "expected a single value");
                    list.Add(item.Value);
                }
                return list;
            default:
                throw Error(key, "expected a list");
        }
    }

    public YamlMap? OptMap(string key)
    {
        var n = Node(key);
        if (n is null || n is YamlScalarNode { Value: null or "" or "~" or "null" }) return null;
        if (n is not YamlMappingNode m) throw Error(key, "expected a mapping");
        return new YamlMap(m, File, KeyPath(key));
    }

    public YamlMap Map(string key) => OptMap(key) ?? throw Error(key, "is required");

    public IReadOnlyList<YamlMap> Maps(string key)
    {
        var n = Node(key);
        if (n is null) return Array.Empty<YamlMap>();
        if (n is not YamlSequenceNode seq) throw Error(key, "expected a list");
        var list = new List<YamlMap>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is not YamlMappingNode m) throw Error($"{key}[{i}]", "expected a mapping");
            list.Add(new YamlMap(m, File, $"{KeyPath(key)}[{i}]"));
        }
        return list;
    }

    public IEnumerable<string> Keys() =>
        _node.Children.Keys.Select(k => (k as YamlScalarNode)?.Value ?? "");

    /// <summary>Throws for the first key that no accessor asked for (typos, unsupported options).</summary>
    public void RejectUnknownKeys()
    {
        foreach (var k in Keys())
            if (!_read.Contains(k))
                throw Error(k, "unknown key");
    }

    private static string ToSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
