using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crossfeed.Core;
using Crossfeed.Evaluation.Reports;
using ScottPlot;

namespace Crossfeed.AbTest;

/// <summary>results.json, report.md and report.html of an A/B test: one table model rendered twice, and the by-tier plot.</summary>
public static class AbTestReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(AbTestResult r) => JsonSerializer.Serialize(r, Json);

    /// <summary>Writes the three files into <paramref name="outDir"/> (each atomically) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(AbTestResult r, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var files = new[] { "results.json", "report.md", "report.html" }.Select(f => Path.Combine(outDir, f)).ToArray();
        AtomicFile.WriteAllText(files[0], ToJson(r));
        AtomicFile.WriteAllText(files[1], Markdown(r));
        AtomicFile.WriteAllText(files[2], Html(r));
        return files;
    }

    public static string Title(AbTestResult r) => $"A/B test: {r.Treatment.Name} (treatment) against {r.Control.Name} (control)";

    public static string Setup(AbTestResult r)
    {
        var o = r.Options;
        return $"world {r.World}, days {r.FirstDay}-{r.LastDay}, {o.Traffic.ToString("N0", Inv)} visits per arm per day, "
            + $"{o.Seeds} replay(s) from seed {o.FirstSeed}, {o.AdCandidates} ad / {o.PromoCandidates} promotion candidates per visit, "
            + $"frequency cap {o.FrequencyCap}, budget scale {o.BudgetScale.ToString(Inv)}, {o.Bootstrap} user-bootstrap resamples; {r.ElapsedSeconds:F0} s";
    }

    /// <summary>The headline table: per segment the arms' i2s and the changes in i2s, CTR, eCPS and streams.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Table(AbTestResult r, string channel)
    {
        bool ads = channel == "ads";
        bool seeds = r.Options.Seeds >= 2;
        var header = new List<string> { "segment", "impressions (c / t)", "streams (c / t)", "i2s control", "i2s treatment", "i2s change" };
        if (seeds) header.Add("i2s over replays");
        header.Add("CTR change");
        if (ads)
        {
            header.Add("eCPS change");
            if (seeds) header.Add("eCPS over replays");
        }
        header.Add("streams change");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var s in r.Segments.Where(s => s.Channel == channel))
        {
            var row = new List<string>
            {
                Few(s) ? s.Slice + " \u2020" : s.Slice,
                $"{s.Control.Impressions.ToString("N0", Inv)} / {s.Treatment.Impressions.ToString("N0", Inv)}",
                $"{s.Control.Streams.ToString("N0", Inv)} / {s.Treatment.Streams.ToString("N0", Inv)}",
                Rate(s.Control.I2s), Rate(s.Treatment.I2s), Boot(s.Changes[AbMetric.I2s]),
            };
            if (seeds) row.Add(Seeds(s.Changes[AbMetric.I2s]));
            row.Add(Boot(s.Changes[AbMetric.Ctr]));
            if (ads)
            {
                row.Add(Boot(s.Changes[AbMetric.Ecps]));
                if (seeds) row.Add(Seeds(s.Changes[AbMetric.Ecps]));
            }
            row.Add(Boot(s.Changes[AbMetric.Streams]));
            rows.Add(row);
        }
        return (header, rows);
    }

    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Arms(AbTestResult r)
    {
        string[] header = ["arm", "role", "unfilled visits", "budget (half of every campaign's)", "spend", "largest overspend of one campaign"];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (a, role) in new[] { (r.Control, "control"), (r.Treatment, "treatment") })
            rows.Add([a.Name, role, a.Unfilled.ToString("N0", Inv), a.Budget.ToString("N2", Inv), a.Spend.ToString("N2", Inv), Math.Max(0, a.MaxCampaignOverspend).ToString("N2", Inv)]);
        return (header, rows);
    }

    private const string Reading =
        "Changes are treatment against control in percent. i2s = streams per impression, CTR = clicks per impression, "
        + "eCPS = spend per stream (lower is better). Brackets: 95% interval of a user-level paired bootstrap over all replays; "
        + "'over replays': mean of the per-replay changes with its Student-t interval. Tiers are the advertised or promoted show's "
        + "popularity tier on the day (0 = most streamed); less-streamed = under 5,000 platform streams in 30 days. "
        + "\u2020: fewer than 20 streams in an arm, read as a lead, not a result.";

    /// <summary>Segments where either arm has fewer streams than this are marked (the Reading text says 20): their changes are mostly noise.</summary>
    public const int FewStreams = 20;

    public static bool Few(AbSegment s) => Math.Min(s.Control.Streams, s.Treatment.Streams) < FewStreams;

    public static string Markdown(AbTestResult r)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title(r)).Append("\n\n").Append(Setup(r)).Append("\n\n").Append(Reading).Append("\n\n");
        Md(sb, "Arms", Arms(r));
        Md(sb, "Ads", Table(r, "ads"));
        Md(sb, "Promotions", Table(r, "promotions"));
        return sb.ToString();
    }

    private static void Md(StringBuilder sb, string title, (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) t)
    {
        static string Esc(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
        sb.Append("## ").Append(title).Append("\n\n| ").AppendJoin(" | ", t.Header.Select(Esc)).Append(" |\n|")
            .AppendJoin("|", t.Header.Select((_, i) => i == 0 ? "---" : "---:")).Append("|\n");
        foreach (var row in t.Rows) sb.Append("| ").AppendJoin(" | ", row.Select(Esc)).Append(" |\n");
        sb.Append('\n');
    }

    public static string Html(AbTestResult r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(Title(r)))
            .Append("</title><style>").Append(HtmlReport.Css).Append("</style></head><body>\n<h1>").Append(WebUtility.HtmlEncode(Title(r))).Append("</h1>\n")
            .Append("<p class=\"intro\">").Append(WebUtility.HtmlEncode(Setup(r))).Append("</p>\n<p class=\"notes\">").Append(WebUtility.HtmlEncode(Reading)).Append("</p>\n");
        HtmlTable(sb, "Arms", Arms(r));
        HtmlTable(sb, "Ads", Table(r, "ads"));
        if (TierPlot(r) is { } png)
            sb.Append("<div class=\"plots\"><figure><img alt=\"relative change in i2s and eCPS by tier\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(png)).Append("\"></figure></div>\n");
        HtmlTable(sb, "Promotions", Table(r, "promotions"));
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void HtmlTable(StringBuilder sb, string title, (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) t)
    {
        sb.Append("<h2>").Append(WebUtility.HtmlEncode(title)).Append("</h2>\n<div class=\"scroll\"><table><thead><tr>");
        for (int i = 0; i < t.Header.Count; i++) sb.Append(i == 0 ? "<th class=\"l\">" : "<th>").Append(WebUtility.HtmlEncode(t.Header[i])).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in t.Rows)
        {
            sb.Append("<tr>");
            for (int i = 0; i < row.Count; i++) sb.Append(i == 0 ? "<td class=\"l\">" : "<td>").Append(WebUtility.HtmlEncode(row[i])).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table></div>\n");
    }

    /// <summary>Ads: relative change in i2s and eCPS per tier, with the bootstrap interval as a line.</summary>
    private static byte[]? TierPlot(AbTestResult r)
    {
        var plot = ReportPlots.NewPlot("ads: relative change by tier", "tier (0 = most streamed; tiers with under 20 streams in an arm not drawn)", "treatment vs control (%)");
        var colors = new[] { Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e") };
        var metrics = new[] { (AbMetric.I2s, "i2s", -0.2), (AbMetric.Ecps, "eCPS", 0.2) };
        // The axis follows the point estimates (a tier with a handful of streams has an interval of hundreds of percent); intervals are clipped to it.
        // Tiers with fewer than FewStreams streams in an arm are left out: their changes are mostly noise and would set the scale.
        var tiers = Enumerable.Range(0, 8).Select(t => r.Segment("ads", $"tier {t}")).Select(s => s is null || Few(s) ? null : s).ToArray();
        var points = tiers.SelectMany(s => metrics.Select(m => s?.Changes[m.Item1].Percent)).OfType<double>().ToList();
        double limit = Math.Max(20, 1.5 * points.Select(Math.Abs).DefaultIfEmpty(0).Max());
        bool any = false;
        for (int m = 0; m < metrics.Length; m++)
        {
            var (metric, label, offset) = metrics[m];
            for (int t = 0; t < 8; t++)
            {
                var c = tiers[t]?.Changes[metric];
                if (c?.Percent is not { } v) continue;
                any = true;
                plot.Add.Bar(new Bar { Position = t + offset, Value = v, Size = 0.38, FillColor = colors[m], LineWidth = 0 });
                if (c.BootstrapLow is { } lo && c.BootstrapHigh is { } hi)
                {
                    var line = plot.Add.Line(t + offset, Math.Max(lo, -Math.Min(limit, 105)), t + offset, Math.Min(hi, limit));
                    line.Color = Colors.Black;
                    line.LineWidth = 1.5f;
                }
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = colors[m] });
        }
        if (!any) return null;
        plot.Add.HorizontalLine(0).Color = Colors.Gray;
        plot.Axes.SetLimits(-0.6, 7.6, -Math.Min(limit, 105), limit); // no rate falls by more than 100%
        plot.ShowLegend(Alignment.UpperLeft, Orientation.Horizontal);
        return ReportPlots.Png(plot);
    }

    private static string Rate(double? v) => v is { } x ? x.ToString("0.0000", Inv) : "n/a";

    public static string Pct(double? v) => v is { } x ? (x >= 0 ? "+" : "") + x.ToString("F1", Inv) + "%" : "n/a";

    private static string Boot(AbChange c) =>
        c.Percent is null ? "n/a" : c.BootstrapLow is { } lo && c.BootstrapHigh is { } hi ? $"{Pct(c.Percent)} [{Pct(lo)}, {Pct(hi)}]" : Pct(c.Percent);

    private static string Seeds(AbChange c) =>
        c.SeedMean is { } m && c.SeedLow is { } lo && c.SeedHigh is { } hi ? $"{Pct(m)} [{Pct(lo)}, {Pct(hi)}]" : "n/a";
}
