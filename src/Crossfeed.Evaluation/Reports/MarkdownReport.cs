using System.Text;

namespace Crossfeed.Evaluation.Reports;

/// <summary>report.md: the report's tables in GitHub-flavoured Markdown.</summary>
internal static class MarkdownReport
{
    public static string Render(EvaluationResult r, IReadOnlyList<ReportSection> sections)
    {
        var sb = new StringBuilder();
        sb.Append("# Evaluation report: ").Append(Inline(r.Model)).Append("\n\n");
        sb.Append("- Model: ").Append(Inline(r.Model)).Append('\n');
        sb.Append("- Dataset: ").Append(Inline(r.Dataset)).Append('\n');
        sb.Append("- Split: ").Append(Inline(r.Split)).Append('\n');
        sb.Append("- Calibrated: ").Append(r.Calibrated ? "yes (temperature scaling)" : "no").Append("\n\n");
        sb.Append(ReportFormat.FewMarker).Append(" marks a slice with fewer than ")
          .Append(MetricSet.FewPositives).Append(" positives or an undefined metric: shown, but read with care (see the notes under each table).\n\n");

        foreach (var section in sections)
        {
            sb.Append("## ").Append(Inline(section.Title)).Append("\n\n");
            if (section.Intro is not null) sb.Append(Inline(section.Intro)).Append("\n\n");
            if (section.Tables.Count == 0) sb.Append(ReportFormat.NotAvailable).Append(": no slices.\n\n");
            foreach (var table in section.Tables) AppendTable(sb, table);
            if (section.Notes.Count > 0)
            {
                sb.Append("Notes:\n\n");
                foreach (var note in section.Notes) sb.Append("- ").Append(ReportFormat.FewMarker).Append(' ').Append(Inline(note)).Append('\n');
                sb.Append('\n');
            }
        }

        sb.Append("## Warnings\n\n");
        if (r.Warnings.Count == 0) sb.Append("None.\n");
        foreach (var w in r.Warnings) sb.Append("- ").Append(Inline(w)).Append('\n');
        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, ReportTable table)
    {
        sb.Append('|');
        foreach (var h in table.Headers) sb.Append(' ').Append(Cell(h)).Append(" |");
        sb.Append("\n|");
        for (int i = 0; i < table.Headers.Count; i++) sb.Append(i < table.LabelColumns ? "---|" : "---:|");
        sb.Append('\n');
        foreach (var row in table.Rows)
        {
            sb.Append('|');
            foreach (var c in row)
            {
                sb.Append(' ').Append(Cell(c.Text));
                if (c.Flag is not null) sb.Append(' ').Append(ReportFormat.FewMarker);
                sb.Append(" |");
            }
            sb.Append('\n');
        }
        sb.Append('\n');
    }

    /// <summary>Text inside a table cell: no line breaks, pipes escaped.</summary>
    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>One line of plain text: line breaks flattened, angle brackets escaped so they are not read as HTML.</summary>
    private static string Inline(string text) =>
        text.ReplaceLineEndings(" ").Replace("<", "\\<", StringComparison.Ordinal).Replace(">", "\\>", StringComparison.Ordinal);
}
