namespace Crossfeed.Evaluation.Reports;

/// <summary>A report section: a heading, an optional sentence, tables (or an "n/a" line when there are none) and footnotes.</summary>
internal sealed record ReportSection(string Id, string Title, string? Intro, IReadOnlyList<ReportTable> Tables, IReadOnlyList<string> Notes);
