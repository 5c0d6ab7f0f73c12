using Crossfeed.Core;

namespace Crossfeed.Evaluation.Reports;

/// <summary>
/// Renders an <see cref="EvaluationResult"/> to metrics.json (machines), report.md and a self-contained
/// report.html with plots (people). Each file is written under a temporary name and renamed, so a reader
/// never sees a half-written file under the final name.
/// </summary>
public static class EvaluationReport
{
    public const string MetricsFileName = "metrics.json";
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";


    /// <summary>Writes metrics.json, report.md and report.html into <paramref name="outDir"/> (created if missing).</summary>
    public static void Write(EvaluationResult result, string outDir)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        Directory.CreateDirectory(outDir);
        var json = ToMetricsJson(result);
        var sections = ReportModel.Build(result);
        var markdown = MarkdownReport.Render(result, sections);
        var html = HtmlReport.Render(result, sections, RenderPlots(result));
        AtomicFile.WriteAllText(Path.Combine(outDir, MetricsFileName), json);
        AtomicFile.WriteAllText(Path.Combine(outDir, MarkdownFileName), markdown);
        AtomicFile.WriteAllText(Path.Combine(outDir, HtmlFileName), html);
    }

    /// <summary>The text of metrics.json.</summary>
    public static string ToMetricsJson(EvaluationResult result) => MetricsJson.Render(result);

    /// <summary>The text of report.md.</summary>
    public static string ToMarkdown(EvaluationResult result) => MarkdownReport.Render(result, ReportModel.Build(result));

    /// <summary>The text of report.html (renders the plots).</summary>
    public static string ToHtml(EvaluationResult result) => HtmlReport.Render(result, ReportModel.Build(result), RenderPlots(result));

    private static List<HtmlReport.TaskPlots> RenderPlots(EvaluationResult r)
    {
        var tasks = ReportFormat.AllTasks(r);
        var tiers = ReportFormat.TierColumns(r);
        var plots = new HtmlReport.TaskPlots[tasks.Count];
        // Plots are independent; rendering them in parallel keeps a 10-task report to about a second.
        Parallel.For(0, tasks.Count, i =>
        {
            var task = tasks[i];
            var curves = r.Curves.TryGetValue(task, out var c) ? c : null;
            var metrics = ReportFormat.Get(r.Tasks, task);
            plots[i] = new HtmlReport.TaskPlots(task,
                ReportPlots.PrecisionRecall(task, curves, metrics),
                ReportPlots.Reliability(task, curves, r.Calibrated),
                ReportPlots.Tiers(task, ReportFormat.Get(r.ByTier, task), tiers));
        });
        return plots.ToList();
    }
}
