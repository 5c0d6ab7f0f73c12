namespace Crossfeed.Evaluation.Reports;

/// <summary>
/// A table. The first <paramref name="LabelColumns"/> columns are text (left-aligned), the rest numbers.
/// In a grouped table a row whose first cell is not empty starts a group (the tier table: AP, oracle, counts).
/// </summary>
internal sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<ReportCell>> Rows, int LabelColumns = 1, bool Grouped = false);
