using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crossfeed.Evaluation.Reports;

/// <summary>
/// metrics.json (the layout in docs/evaluation.md). Doubles keep full precision (round-trip
/// formatting); undefined or non-finite values are JSON null, since System.Text.Json refuses NaN.
/// </summary>
internal static class MetricsJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(EvaluationResult result) => Build(result).ToJsonString(Indented);

    public static JsonObject Build(EvaluationResult r)
    {
        var tasks = new JsonObject();
        foreach (var task in ReportFormat.OrderTasks(r, r.Tasks.Keys))
            tasks[task] = TaskNode(r.Tasks[task]);

        var byTier = new JsonObject();
        foreach (var task in ReportFormat.OrderTasks(r, r.ByTier.Keys))
            byTier[task] = SliceMap(r.ByTier[task], ReportFormat.OrderKeys(r.ByTier[task].Keys));

        var bySource = new JsonObject();
        foreach (var source in r.BySource.Keys.Order(StringComparer.Ordinal))
            bySource[source] = SliceMap(r.BySource[source], ReportFormat.OrderTasks(r, r.BySource[source].Keys));

        var root = new JsonObject
        {
            ["model"] = r.Model,
            ["dataset"] = r.Dataset,
            ["split"] = r.Split,
            ["calibrated"] = r.Calibrated,
            ["tasks"] = tasks,
            ["by_tier"] = byTier,
            ["by_source"] = bySource,
            ["less_streamed"] = SliceMap(r.LessStreamed, ReportFormat.OrderTasks(r, r.LessStreamed.Keys)),
            ["rest"] = SliceMap(r.RestStreamed, ReportFormat.OrderTasks(r, r.RestStreamed.Keys)),
            ["by_modality"] = NestedSlices(r, r.ByModality),
            ["by_slot"] = NestedSlices(r, r.BySlot),
        };
        if (r.ByContentType is not null) root["by_content_type"] = NestedSlices(r, r.ByContentType);
        if (r.Routed is not null)
        {
            var routed = new JsonObject();
            foreach (var (name, m) in r.Routed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var node = TaskNode(m.Metrics);
                node["heads"] = new JsonArray(m.Heads.Select(h => (JsonNode)JsonValue.Create(h)!).ToArray());
                routed[name] = node;
            }
            root["routed"] = routed;
        }
        if (r.BySourceTier is not null)
        {
            var bySourceTier = new JsonObject();
            foreach (var source in r.BySourceTier.Keys.Order(StringComparer.Ordinal))
                bySourceTier[source] = NestedSlices(r, r.BySourceTier[source]);
            root["by_source_tier"] = bySourceTier;
        }
        if (r.UncalibratedEce is not null)
        {
            var ece = new JsonObject();
            foreach (var task in ReportFormat.OrderTasks(r, r.UncalibratedEce.Keys))
                ece[task] = Number(r.UncalibratedEce[task]);
            root["uncalibrated_ece"] = ece;
        }
        root["warnings"] = new JsonArray(r.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        return root;
    }

    private static JsonObject TaskNode(MetricSet m)
    {
        var low = ReportFormat.Finite(m.ApLow);
        var high = ReportFormat.Finite(m.ApHigh);
        return new JsonObject
        {
            ["ap"] = Number(m.Ap),
            ["auc"] = Number(m.Auc),
            ["logloss"] = Number(m.LogLoss),
            ["ece"] = Number(m.Ece),
            ["ece_equal_mass"] = Number(m.EceEqualMass),
            ["n"] = m.N,
            ["positives"] = m.Positives,
            ["oracle_ap"] = Number(m.OracleAp),
            ["fraction_of_oracle"] = Number(m.FractionOfOracle),
            ["ap_ci"] = low is { } lo && high is { } hi ? new JsonArray(lo, hi) : null,
            ["note"] = m.Note,
        };
    }

    private static JsonObject SliceNode(MetricSet m) => new()
    {
        ["ap"] = Number(m.Ap),
        ["n"] = m.N,
        ["positives"] = m.Positives,
        ["oracle_ap"] = Number(m.OracleAp),
        ["note"] = m.Note,
    };

    private static JsonObject SliceMap(IReadOnlyDictionary<string, MetricSet> map, IEnumerable<string> order)
    {
        var node = new JsonObject();
        foreach (var key in order)
            node[key] = SliceNode(map[key]);
        return node;
    }

    private static JsonObject NestedSlices(EvaluationResult r, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> byTask)
    {
        var node = new JsonObject();
        foreach (var task in ReportFormat.OrderTasks(r, byTask.Keys))
            node[task] = SliceMap(byTask[task], ReportFormat.OrderKeys(byTask[task].Keys));
        return node;
    }

    private static JsonNode? Number(double? value) => ReportFormat.Finite(value) is { } v ? JsonValue.Create(v) : null;
}
