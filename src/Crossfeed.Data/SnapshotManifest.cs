using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// snapshot.json of a feature snapshot folder: which dataset it came from, the time column and as-of
/// cut it used, when it was written, and its tables (format <see cref="Format"/>).
/// </summary>
public sealed record SnapshotManifest(string Dataset, string ConfigPath, string TimeColumn, double? AsOf, DateTime Created, IReadOnlyList<SnapshotTable> Tables)
{
    public const string Format = "crossfeed.features/1";
    public const string FileName = "snapshot.json";

    public SnapshotTable? Table(FeatureGroup group) => Tables.FirstOrDefault(t => t.Group == group);

    public string ToJson()
    {
        var entities = new JsonObject();
        foreach (var t in Tables)
        {
            entities[t.Entity] = new JsonObject
            {
                ["file"] = t.File,
                ["key"] = t.KeyColumn,
                ["columns"] = new JsonArray(t.Columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["rows"] = t.Rows,
            };
        }
        var root = new JsonObject
        {
            ["format"] = Format,
            ["dataset"] = Dataset,
            ["config"] = ConfigPath,
            ["time_column"] = TimeColumn,
            ["as_of"] = AsOf,
            ["created"] = Created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["entities"] = entities,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads <see cref="ToJson"/> output; anything else is a <see cref="BadInputException"/> naming <paramref name="origin"/>.</summary>
    public static SnapshotManifest FromJson(string json, string origin)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("empty document");
            var format = (string?)root["format"];
            if (format != Format) throw new FormatException($"format is '{format}', expected '{Format}'");
            var tables = new List<SnapshotTable>();
            var entities = root["entities"]?.AsObject() ?? throw new FormatException("no 'entities'");
            foreach (var group in SnapshotTable.Groups)
            {
                if (entities[SnapshotTable.EntityOf(group)] is not JsonObject e) continue;
                var columns = e["columns"]!.AsArray().Select(c => (string)c!).ToList();
                tables.Add(new SnapshotTable(group, (string)e["key"]!, columns, (long)e["rows"]!));
            }
            return new SnapshotManifest((string)root["dataset"]!, (string)root["config"]!, (string)root["time_column"]!, (double?)root["as_of"],
                DateTime.Parse((string)root["created"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                tables);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException)
        {
            throw BadInputException.At(origin, null, null, $"not a Crossfeed feature snapshot ({e.Message.Split('\n')[0]})");
        }
    }
}
