using System.Globalization;

namespace Crossfeed.Evaluation.Reports;

/// <summary>Number formatting and ordering shared by the Markdown, HTML and JSON renderings (invariant culture).</summary>
internal static class ReportFormat
{
    public const string NotAvailable = "n/a";
    public const string FewMarker = "\u2020"; // dagger

    public static string Metric(double? value) => Finite(value) is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : NotAvailable;

    public static string Percent(double? value) => Finite(value) is { } v ? v.ToString("0.0%", CultureInfo.InvariantCulture) : NotAvailable;

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string ApWithCi(MetricSet m)
    {
        var ap = Metric(m.Ap);
        return Finite(m.ApLow) is { } lo && Finite(m.ApHigh) is { } hi && m.Ap is not null
            ? $"{ap} [{lo.ToString("0.0000", CultureInfo.InvariantCulture)}, {hi.ToString("0.0000", CultureInfo.InvariantCulture)}]"
            : ap;
    }

    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>Slices with few positives or a note are flagged (never hidden).</summary>
    public static bool IsFlagged(MetricSet m) => m.HasFewPositives || m.Note is not null;

    public static string FlagReason(MetricSet m) =>
        m.Note ?? $"only {Count(m.Positives)} positives (fewer than {MetricSet.FewPositives}): unreliable";

    /// <summary>Tasks in the result's order first, then any others found in the data, ordinally.</summary>
    public static IReadOnlyList<string> OrderTasks(EvaluationResult result, IEnumerable<string> present)
    {
        var set = present.ToHashSet(StringComparer.Ordinal);
        var ordered = result.TaskOrder.Where(set.Contains).Distinct(StringComparer.Ordinal).ToList();
        ordered.AddRange(set.Except(ordered, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return ordered;
    }

    /// <summary>Every task the result mentions anywhere (TaskOrder first).</summary>
    public static IReadOnlyList<string> AllTasks(EvaluationResult result)
    {
        var keys = result.TaskOrder
            .Concat(result.Tasks.Keys)
            .Concat(result.ByTier.Keys)
            .Concat(result.LessStreamed.Keys)
            .Concat(result.RestStreamed.Keys)
            .Concat(result.Curves.Keys);
        return OrderTasks(result, keys);
    }

    /// <summary>Numeric keys (tiers) in numeric order, then other keys ordinally.</summary>
    public static IReadOnlyList<string> OrderKeys(IEnumerable<string> keys) =>
        keys.Distinct(StringComparer.Ordinal)
            .OrderBy(k => long.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? 0 : 1)
            .ThenBy(k => long.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToList();

    /// <summary>Tier columns: 0-7 always, plus any other tier the data carries.</summary>
    public static IReadOnlyList<string> TierColumns(EvaluationResult result) =>
        OrderKeys(Enumerable.Range(0, 8).Select(i => i.ToString(CultureInfo.InvariantCulture))
            .Concat(result.ByTier.Values.SelectMany(d => d.Keys))
            .Concat(result.BySourceTier?.Values.SelectMany(d => d.Values.SelectMany(t => t.Keys)) ?? []));

    public static MetricSet? Get(IReadOnlyDictionary<string, MetricSet>? map, string key) =>
        map is not null && map.TryGetValue(key, out var m) ? m : null;

    public static IReadOnlyDictionary<string, MetricSet>? Get(IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> map, string key) =>
        map.TryGetValue(key, out var m) ? m : null;
}
