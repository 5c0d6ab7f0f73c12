namespace Crossfeed.Evaluation.Reports;

/// <summary>One table cell; a flagged cell carries the reason (few positives or a note).</summary>
internal sealed record ReportCell(string Text, string? Flag = null)
{
    public static implicit operator ReportCell(string text) => new(text);
}
