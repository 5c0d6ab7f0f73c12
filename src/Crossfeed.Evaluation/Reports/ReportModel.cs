namespace Crossfeed.Evaluation.Reports;

/// <summary>
/// The tables of a report, built once and rendered to Markdown and HTML so both say the same thing.
/// Slices with few positives or a note keep their numbers, get a marker and a footnote.
/// </summary>
internal static class ReportModel
{
    public static IReadOnlyList<ReportSection> Build(EvaluationResult r)
    {
        var sections = new List<ReportSection> { Tasks(r), Tiers(r), LessStreamed(r), BySource(r) };
        // Per source and tier only when the evaluator computed it (null), "n/a" when it came back empty.
        if (r.BySourceTier is not null) sections.Add(SourceTiers(r));
        sections.Add(ByTaskValue(r, "by-modality", "By modality", "modality", r.ByModality));
        sections.Add(ByTaskValue(r, "by-slot", "By slot", "slot", r.BySlot));
        if (r.ByContentType is not null) sections.Add(ByTaskValue(r, "by-content-type", "By content type", "content type", r.ByContentType));
        if (r.Routed is not null) sections.Add(Routed(r.Routed));
        return sections;
    }

    private static ReportSection Tasks(EvaluationResult r)
    {
        var notes = new List<string>();
        var withUncal = r.UncalibratedEce is not null;
        var headers = new List<string> { "task", "n", "positives", "AP [95% CI]", "oracle AP", "fraction of oracle", "AUC", "log loss", "ECE", "ECE (equal mass)" };
        if (withUncal) headers.Add("ECE before calibration");
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var task in ReportFormat.OrderTasks(r, r.TaskOrder.Concat(r.Tasks.Keys)))
        {
            var m = ReportFormat.Get(r.Tasks, task);
            var row = new List<ReportCell> { task };
            if (m is null)
            {
                row.AddRange(Enumerable.Repeat(new ReportCell(ReportFormat.NotAvailable), headers.Count - 1));
                notes.Add($"{task}: no metrics");
                row[3] = new ReportCell(ReportFormat.NotAvailable, "no metrics");
            }
            else
            {
                row.Add(ReportFormat.Count(m.N));
                row.Add(ReportFormat.Count(m.Positives));
                row.Add(Flagged(ReportFormat.ApWithCi(m), m, task, notes));
                row.Add(ReportFormat.Metric(m.OracleAp));
                row.Add(ReportFormat.Percent(m.FractionOfOracle));
                row.Add(ReportFormat.Metric(m.Auc));
                row.Add(ReportFormat.Metric(m.LogLoss));
                row.Add(ReportFormat.Metric(m.Ece));
                row.Add(ReportFormat.Metric(m.EceEqualMass));
                if (withUncal)
                    row.Add(ReportFormat.Metric(r.UncalibratedEce!.TryGetValue(task, out var e) ? e : null));
            }
            rows.Add(row);
        }
        var intro = r.Calibrated
            ? "Metrics on the calibrated probabilities (temperature scaling per task)."
            : "Metrics on the model's probabilities (not calibrated).";
        return Section("tasks", "Tasks", intro, rows.Count == 0 ? [] : [new ReportTable(headers, rows)], notes);
    }

    private static ReportSection Routed(IReadOnlyDictionary<string, RoutedMetric> routed)
    {
        var notes = new List<string>();
        string[] headers = ["label@source", "heads", "n", "positives", "AP [95% CI]", "oracle AP", "fraction of oracle", "AUC", "log loss", "ECE"];
        var rows = routed.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (IReadOnlyList<ReportCell>)new List<ReportCell>
        {
            kv.Key, string.Join(", ", kv.Value.Heads), ReportFormat.Count(kv.Value.Metrics.N), ReportFormat.Count(kv.Value.Metrics.Positives),
            Flagged(ReportFormat.ApWithCi(kv.Value.Metrics), kv.Value.Metrics, kv.Key, notes), ReportFormat.Metric(kv.Value.Metrics.OracleAp),
            ReportFormat.Percent(kv.Value.Metrics.FractionOfOracle), ReportFormat.Metric(kv.Value.Metrics.Auc),
            ReportFormat.Metric(kv.Value.Metrics.LogLoss), ReportFormat.Metric(kv.Value.Metrics.Ece),
        }).ToList();
        return Section("routed", "Routed over grouped heads",
            "A label on one source's rows, each row scored by the grouped (slot or content-type) head whose scope admits it: one figure comparable with an ungrouped model's.",
            [new ReportTable(headers, rows)], notes);
    }

    private static ReportSection Tiers(EvaluationResult r)
    {
        var notes = new List<string>();
        var tiers = ReportFormat.TierColumns(r);
        var groups = ReportFormat.OrderTasks(r, r.ByTier.Keys).Select(task => (new[] { task }, task, r.ByTier[task]));
        var table = TierTable(["task"], tiers, groups, notes);
        return Section("tiers", "AP by tier", "Model AP per tier with the oracle's AP on the same rows.", table is null ? [] : [table], notes);
    }

    private static ReportSection SourceTiers(EvaluationResult r)
    {
        var notes = new List<string>();
        var tiers = ReportFormat.TierColumns(r);
        var bySourceTier = r.BySourceTier!;
        var groups = bySourceTier.Keys.Order(StringComparer.Ordinal).SelectMany(source =>
            ReportFormat.OrderTasks(r, bySourceTier[source].Keys).Select(task => (new[] { source, task }, $"{source} / {task}", bySourceTier[source][task])));
        var table = TierTable(["source", "task"], tiers, groups, notes);
        return Section("by-source-tier", "By source and tier", "Every head on every source, per tier, with the oracle's AP on the same rows.",
            table is null ? [] : [table], notes);
    }

    /// <summary>Tiers as columns; three rows per group (AP, oracle AP, positives / n).</summary>
    private static ReportTable? TierTable(string[] labelHeaders, IReadOnlyList<string> tiers,
                                          IEnumerable<(string[] Labels, string NoteLabel, IReadOnlyDictionary<string, MetricSet> ByTier)> groups,
                                          List<string> notes)
    {
        var headers = new List<string>(labelHeaders) { "metric" };
        headers.AddRange(tiers.Select(t => $"tier {t}"));
        var blank = Enumerable.Repeat(new ReportCell(""), labelHeaders.Length).ToList();
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var (labels, noteLabel, byTier) in groups)
        {
            var ap = labels.Select(l => new ReportCell(l)).Append("AP").ToList();
            var oracle = blank.Append("oracle AP").ToList();
            var pos = blank.Append("positives / n").ToList();
            foreach (var tier in tiers)
            {
                var m = ReportFormat.Get(byTier, tier);
                ap.Add(m is null ? ReportFormat.NotAvailable : Flagged(ReportFormat.Metric(m.Ap), m, $"{noteLabel} tier {tier}", notes));
                oracle.Add(m is null ? ReportFormat.NotAvailable : ReportFormat.Metric(m.OracleAp));
                pos.Add(m is null ? ReportFormat.NotAvailable : $"{ReportFormat.Count(m.Positives)} / {ReportFormat.Count(m.N)}");
            }
            rows.Add(ap);
            rows.Add(oracle);
            rows.Add(pos);
        }
        return rows.Count == 0 ? null : new ReportTable(headers, rows, LabelColumns: labelHeaders.Length + 1, Grouped: true);
    }

    private static ReportSection LessStreamed(EvaluationResult r)
    {
        var notes = new List<string>();
        string[] headers =
        [
            "task", "less-streamed n", "positives", "AP", "oracle AP", "fraction of oracle",
            "rest n", "positives", "AP", "oracle AP", "fraction of oracle",
        ];
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var task in ReportFormat.OrderTasks(r, r.LessStreamed.Keys.Concat(r.RestStreamed.Keys)))
        {
            var row = new List<ReportCell> { task };
            row.AddRange(SliceCells(ReportFormat.Get(r.LessStreamed, task), $"{task} less-streamed", notes));
            row.AddRange(SliceCells(ReportFormat.Get(r.RestStreamed, task), $"{task} rest", notes));
            rows.Add(row);
        }
        return Section("less-streamed", "Less-streamed vs rest", null, rows.Count == 0 ? [] : [new ReportTable(headers, rows)], notes);
    }

    private static ReportSection BySource(EvaluationResult r)
    {
        var notes = new List<string>();
        string[] headers = ["source", "task", "n", "positives", "AP", "oracle AP", "fraction of oracle"];
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var source in r.BySource.Keys.Order(StringComparer.Ordinal))
        {
            var map = r.BySource[source];
            foreach (var task in ReportFormat.OrderTasks(r, map.Keys))
            {
                var row = new List<ReportCell> { source, task };
                row.AddRange(SliceCells(map[task], $"{source} / {task}", notes));
                rows.Add(row);
            }
        }
        return Section("by-source", "By source", "Every task on every source where its label exists.",
            rows.Count == 0 ? [] : [new ReportTable(headers, rows, LabelColumns: 2)], notes);
    }

    private static ReportSection ByTaskValue(EvaluationResult r, string id, string title, string column,
                                             IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>> byTask)
    {
        var notes = new List<string>();
        string[] headers = ["task", column, "n", "positives", "AP", "oracle AP", "fraction of oracle"];
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var task in ReportFormat.OrderTasks(r, byTask.Keys))
        {
            var map = byTask[task];
            foreach (var value in ReportFormat.OrderKeys(map.Keys))
            {
                var row = new List<ReportCell> { task, value };
                row.AddRange(SliceCells(map[value], $"{task} {column} {value}", notes));
                rows.Add(row);
            }
        }
        return Section(id, title, null, rows.Count == 0 ? [] : [new ReportTable(headers, rows, LabelColumns: 2)], notes);
    }

    /// <summary>n, positives, AP (flagged), oracle AP, fraction of oracle.</summary>
    private static IEnumerable<ReportCell> SliceCells(MetricSet? m, string label, List<string> notes)
    {
        if (m is null) return Enumerable.Repeat(new ReportCell(ReportFormat.NotAvailable), 5);
        return
        [
            ReportFormat.Count(m.N),
            ReportFormat.Count(m.Positives),
            Flagged(ReportFormat.Metric(m.Ap), m, label, notes),
            ReportFormat.Metric(m.OracleAp),
            ReportFormat.Percent(m.FractionOfOracle),
        ];
    }

    private static ReportCell Flagged(string text, MetricSet m, string label, List<string> notes)
    {
        if (!ReportFormat.IsFlagged(m)) return text;
        var reason = ReportFormat.FlagReason(m);
        notes.Add($"{label}: {reason}");
        return new ReportCell(text, reason);
    }

    private static ReportSection Section(string id, string title, string? intro, IReadOnlyList<ReportTable> tables, List<string> notes) =>
        new(id, title, intro, tables, notes);
}
