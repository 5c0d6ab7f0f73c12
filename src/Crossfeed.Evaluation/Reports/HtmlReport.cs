using System.Net;
using System.Text;

namespace Crossfeed.Evaluation.Reports;

/// <summary>report.html: one self-contained page (inline CSS, plots as PNG data URIs, no external references).</summary>
internal static class HtmlReport
{
    internal const string Css = """
        body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1.5em; color: #222; line-height: 1.4; }
        h1 { font-size: 1.6em; margin-bottom: 0.3em; }
        h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
        dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; margin: 0.5em 0 1em; }
        dl.meta dt { font-weight: 600; color: #555; }
        dl.meta dd { margin: 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: right; white-space: nowrap; }
        th { background: #f4f6f8; font-weight: 600; }
        th.l, td.l { text-align: left; }
        table:not(.grouped) tbody tr:nth-child(even) { background: #fafbfc; }
        table.grouped tr.group td { border-top: 2px solid #bbb; }
        td.flag { background: #fff6dd; }
        .marker { color: #b26b00; font-weight: 700; cursor: help; }
        .na { color: #888; font-style: italic; }
        .notes { font-size: 0.85em; color: #555; }
        .intro { color: #444; }
        .plots { display: flex; flex-wrap: wrap; gap: 12px; }
        .plots figure { margin: 0; }
        .plots img { max-width: 100%; height: auto; border: 1px solid #eee; }
        .plots .na { width: 640px; max-width: 100%; height: 400px; display: flex; align-items: center; justify-content: center; border: 1px dashed #ccc; }
        ul.warnings li { color: #8a4b00; }
        """;

    /// <summary>Plots of one task, PNG bytes or null when there is nothing to draw.</summary>
    public sealed record TaskPlots(string Task, byte[]? PrecisionRecall, byte[]? Reliability, byte[]? Tiers);

    public static string Render(EvaluationResult r, IReadOnlyList<ReportSection> sections, IReadOnlyList<TaskPlots> plots)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>Evaluation report: ").Append(E(r.Model)).Append("</title>\n");
        sb.Append("<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");
        sb.Append("<h1>Evaluation report: ").Append(E(r.Model)).Append("</h1>\n");
        sb.Append("<dl class=\"meta\">")
          .Append("<dt>Model</dt><dd>").Append(E(r.Model)).Append("</dd>")
          .Append("<dt>Dataset</dt><dd>").Append(E(r.Dataset)).Append("</dd>")
          .Append("<dt>Split</dt><dd>").Append(E(r.Split)).Append("</dd>")
          .Append("<dt>Calibrated</dt><dd>").Append(r.Calibrated ? "yes (temperature scaling)" : "no").Append("</dd>")
          .Append("</dl>\n");
        sb.Append("<p class=\"notes\"><span class=\"marker\">&dagger;</span> marks a slice with fewer than ")
          .Append(MetricSet.FewPositives)
          .Append(" positives or an undefined metric: shown, but read with care (hover for the reason; notes under each table).</p>\n");

        for (int i = 0; i < sections.Count; i++)
        {
            AppendSection(sb, sections[i]);
            if (i == 0) AppendPlots(sb, plots);
        }

        sb.Append("<h2 id=\"warnings\">Warnings</h2>\n");
        if (r.Warnings.Count == 0) sb.Append("<p class=\"na\">None.</p>\n");
        else
        {
            sb.Append("<ul class=\"warnings\">\n");
            foreach (var w in r.Warnings) sb.Append("<li>").Append(E(w)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void AppendSection(StringBuilder sb, ReportSection section)
    {
        sb.Append("<h2 id=\"").Append(E(section.Id)).Append("\">").Append(E(section.Title)).Append("</h2>\n");
        if (section.Intro is not null) sb.Append("<p class=\"intro\">").Append(E(section.Intro)).Append("</p>\n");
        if (section.Tables.Count == 0) sb.Append("<p class=\"na\">n/a: no slices.</p>\n");
        foreach (var table in section.Tables) AppendTable(sb, table);
        if (section.Notes.Count > 0)
        {
            sb.Append("<ul class=\"notes\">\n");
            foreach (var note in section.Notes)
                sb.Append("<li><span class=\"marker\">&dagger;</span> ").Append(E(note)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
    }

    private static void AppendTable(StringBuilder sb, ReportTable table)
    {
        sb.Append(table.Grouped ? "<div class=\"scroll\"><table class=\"grouped\">" : "<div class=\"scroll\"><table>").Append("\n<thead><tr>");
        for (int i = 0; i < table.Headers.Count; i++)
            sb.Append(i < table.LabelColumns ? "<th class=\"l\">" : "<th>").Append(E(table.Headers[i])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append(table.Grouped && row.Count > 0 && row[0].Text.Length > 0 ? "<tr class=\"group\">" : "<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                var c = row[i];
                var classes = new List<string>();
                if (i < table.LabelColumns) classes.Add("l");
                if (c.Flag is not null) classes.Add("flag");
                if (c.Text == ReportFormat.NotAvailable) classes.Add("na");
                sb.Append(classes.Count == 0 ? "<td>" : $"<td class=\"{string.Join(' ', classes)}\">").Append(E(c.Text));
                if (c.Flag is not null)
                    sb.Append(" <span class=\"marker\" title=\"").Append(E(c.Flag)).Append("\">&dagger;</span>");
                sb.Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table></div>\n");
    }

    /// <summary>One grid per kind of plot, so tasks sit side by side for comparison.</summary>
    private static void AppendPlots(StringBuilder sb, IReadOnlyList<TaskPlots> plots)
    {
        sb.Append("<h2 id=\"plots\">Plots</h2>\n");
        if (plots.Count == 0)
        {
            sb.Append("<p class=\"na\">n/a: no tasks.</p>\n");
            return;
        }
        AppendPlotGrid(sb, "Precision-recall", plots, p => p.PrecisionRecall, "precision-recall curve", "no precision-recall curve (no positives or no curve)");
        AppendPlotGrid(sb, "Reliability (predicted vs observed)", plots, p => p.Reliability, "reliability diagram", "no reliability curve");
        AppendPlotGrid(sb, "AP by tier, model and oracle", plots, p => p.Tiers, "AP by tier with the oracle", "no AP by tier");
    }

    private static void AppendPlotGrid(StringBuilder sb, string title, IReadOnlyList<TaskPlots> plots, Func<TaskPlots, byte[]?> select,
                                       string what, string missing)
    {
        sb.Append("<h3>").Append(E(title)).Append("</h3>\n<div class=\"plots\">\n");
        foreach (var p in plots)
            AppendImage(sb, select(p), $"{p.Task}: {what}", $"{p.Task}: {missing}");
        sb.Append("</div>\n");
    }

    private static void AppendImage(StringBuilder sb, byte[]? png, string alt, string missing)
    {
        sb.Append("<figure>");
        if (png is null) sb.Append("<div class=\"na\">").Append(E(missing)).Append(": n/a</div>");
        else
            sb.Append("<img width=\"").Append(ReportPlots.Width).Append("\" height=\"").Append(ReportPlots.Height)
              .Append("\" alt=\"").Append(E(alt)).Append("\" src=\"data:image/png;base64,")
              .Append(Convert.ToBase64String(png)).Append("\">");
        sb.Append("</figure>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
