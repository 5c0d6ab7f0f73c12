using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crossfeed.Core;

namespace Crossfeed.Simulation;

/// <summary>
/// Sets knobs of a <see cref="WorldConfig"/> from "Knob=value" text (the command line's --set): knob names
/// as in docs/simulator.md, matched ignoring case and underscores (AdStreamRate, ad_stream_rate);
/// values as JSON (numbers, true/false, [1, 2] for lists; bare words are strings).
/// </summary>
public static class WorldKnobs
{
    /// <summary>Knobs with their own command-line option.</summary>
    private static readonly Dictionary<string, string> OwnOption = new(StringComparer.Ordinal)
    {
        [nameof(WorldConfig.Scenario)] = "--scenario",
        [nameof(WorldConfig.Impressions)] = "--impressions",
        [nameof(WorldConfig.Seed)] = "--seed",
    };

    /// <summary>Every settable knob name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(WorldConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is not null && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
        .Select(p => p.Name).ToArray();

    /// <summary>The config with the assignments applied in order (a later one wins), then validated.</summary>
    public static WorldConfig Apply(WorldConfig config, IEnumerable<string> assignments)
    {
        var node = JsonSerializer.SerializeToNode(config, WorldStore.Json)!.AsObject();
        var set = false;
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new BadInputException($"--set needs Knob=value, got '{a}'");
            var knob = Find(a[..eq].Trim());
            if (OwnOption.TryGetValue(knob, out var option)) throw new BadInputException($"--set {knob}: use {option} instead");
            node[JsonNamingPolicy.SnakeCaseLower.ConvertName(knob)] = Parse(a[(eq + 1)..].Trim());
            set = true;
        }
        if (!set) return config;
        WorldConfig result;
        try
        {
            result = node.Deserialize<WorldConfig>(WorldStore.Json)!;
        }
        catch (JsonException e)
        {
            var knob = e.Path is { } p ? Names.FirstOrDefault(n => Normal(n) == Normal(p.TrimStart('$', '.'))) ?? p : "a knob";
            throw new BadInputException($"--set {knob}: the value does not fit the knob's type ({e.Message.Split(". ")[0]})");
        }
        result.Validate();
        return result;
    }

    private static string Find(string name)
    {
        var match = Names.FirstOrDefault(n => Normal(n) == Normal(name));
        if (match is not null) return match;
        var near = Names.OrderBy(n => Distance(Normal(n), Normal(name))).Take(3);
        throw new BadInputException($"--set: unknown knob '{name}' (nearest: {string.Join(", ", near)}; every knob is listed in docs/simulator.md)");
    }

    private static JsonNode? Parse(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }

    private static string Normal(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLower(CultureInfo.InvariantCulture);

    private static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) d[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int prev = d[0];
            d[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int keep = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = keep;
            }
        }
        return d[b.Length];
    }
}
