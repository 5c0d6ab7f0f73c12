using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>results.json, report.md and the rows of the console table of a suite run.</summary>
public static class ExperimentReport
{
    public const string ResultsFile = "results.json";
    public const string ReportFile = "report.md";

    /// <summary>Marks a metric scored by a head built for other rows (e.g. the promo_stream head on ads).</summary>
    public const string BorrowedMark = "†";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(ExperimentResult result) => JsonSerializer.Serialize(result, Json);

    public static ExperimentResult FromJson(string json) =>
        JsonSerializer.Deserialize<ExperimentResult>(json, Json) ?? throw new InvalidDataException("results.json is empty");

    /// <summary>Writes results.json and report.md into the folder (each to a temp file, then renamed). Returns their paths.</summary>
    public static (string Results, string Report) Write(ExperimentResult result, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var results = Path.Combine(outDir, ResultsFile);
        var report = Path.Combine(outDir, ReportFile);
        AtomicFile.WriteAllText(results, ToJson(result));
        AtomicFile.WriteAllText(report, Markdown(result));
        return (results, report);
    }

    /// <summary>Header cells of the main table: variant, one column per metric, train seconds.</summary>
    public static IReadOnlyList<string> Columns(ExperimentResult r) =>
        new[] { "variant" }.Concat(r.Metrics.Select(m => m.Name)).Append("train s").ToList();

    /// <summary>One row per variant: AP (relative change vs baseline [CI]) per metric.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(ExperimentResult r)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var v in r.Variants)
        {
            var cells = new List<string> { v.Name == r.Baseline ? $"{v.Name} (baseline)" : v.Name };
            foreach (var m in r.Metrics)
            {
                var vm = v.Metrics.GetValueOrDefault(m.Name);
                cells.Add(v.Error is not null ? "failed" : vm is null ? "n/a" : Cell(vm.All, v.Name == r.Baseline, vm.BorrowedHead));
            }
            cells.Add(v.TrainSeconds.ToString("F0", Inv));
            rows.Add(cells);
        }
        return rows;
    }

    /// <summary>One row per variant: ROC-AUC [CI] per metric.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> AucRows(ExperimentResult r) =>
        r.Variants.Select(v => (IReadOnlyList<string>)new[] { v.Name }.Concat(r.Metrics.Select(m =>
            v.Error is not null ? "failed"
            : v.Metrics.GetValueOrDefault(m.Name)?.RocAuc is { RocAuc: { } auc } a
                ? auc.ToString("F4", Inv) + (a.Low is { } lo && a.High is { } hi ? $" [{lo.ToString("F4", Inv)}, {hi.ToString("F4", Inv)}]" : "")
                : "n/a")).ToList()).ToList();

    /// <summary>"0.1234 +4.5% [+1.2, +7.8]"; the baseline shows its AP and CI.</summary>
    public static string Cell(SliceResult? s, bool baseline, bool borrowed = false)
    {
        if (s?.Ap is not { } ap) return "n/a";
        var mark = borrowed ? BorrowedMark : "";
        if (baseline)
            return $"{ap.ToString("F4", Inv)}{mark}" + (s.ApLow is { } lo && s.ApHigh is { } hi ? $" [{lo.ToString("F4", Inv)}, {hi.ToString("F4", Inv)}]" : "");
        var rel = s.RelChangePct is { } x ? " " + Pct(x) : "";
        var ci = s.RelChangeLow is { } l && s.RelChangeHigh is { } h ? $" [{Pct(l)}, {Pct(h)}]" : "";
        return $"{ap.ToString("F4", Inv)}{mark}{rel}{ci}";
    }

    public static string Pct(double x) => (x >= 0 ? "+" : "") + x.ToString("F1", Inv) + "%";

    /// <summary>report.md: the main table, per-tier and less-streamed tables per metric, oracle AP, notes.</summary>
    public static string Markdown(ExperimentResult r)
    {
        var sb = new StringBuilder();
        void L(string s = "") => sb.Append(s).Append('\n');
        L($"# Experiment `{r.Suite}` on {r.Dataset}");
        L();
        L(r.Description + ".");
        L();
        L($"- dataset: `{r.DatasetPath}`");
        L($"- seeds: {r.Seeds}{(r.Quick ? "; **quick** (training capped: a fast look, not a result)" : "")}; total {r.TotalSeconds.ToString("F0", Inv)} s");
        L($"- baseline: `{r.Baseline}`; cells: AP on the test split, relative change vs the baseline and its 95% CI");
        L($"- CIs: {r.CiMethod}");
        L($"- {BorrowedMark}: scored by a head built for other rows (same label, other source)");
        L();
        Table(sb, Columns(r), Rows(r));
        L();
        L("ROC-AUC on the same test rows (mean and 95% CI, computed as for AP):");
        L();
        Table(sb, Columns(r).SkipLast(1).ToList(), AucRows(r));
        L();
        L("## Metrics");
        L();
        Table(sb, ["metric", "rows", "n", "positives", "base rate", "oracle AP"],
            r.Metrics.Select(m => (IReadOnlyList<string>)[m.Name, m.Rows, m.N.ToString(Inv), m.Positives.ToString(Inv),
                m.BaseRate.ToString("F4", Inv), F(m.OracleAp)]).ToList());
        L();
        L("## Variants");
        L();
        foreach (var v in r.Variants)
        {
            L($"- `{v.Name}` ({v.Kind}): {v.Description}" + (v.Error is null ? "" : $" **failed: {v.Error}**"));
            foreach (var n in v.Notes) L($"  - {n}");
        }
        foreach (var m in r.Metrics)
        {
            L();
            L($"## {m.Name} by tier ({m.Rows})");
            L();
            var tiers = r.Variants.SelectMany(v => v.Metrics.GetValueOrDefault(m.Name)?.ByTier.Keys ?? []).Distinct()
                .OrderBy(t => int.Parse(t, Inv)).ToList();
            var hasStreams = r.Variants.Any(v => v.Metrics.GetValueOrDefault(m.Name)?.LessStreamed is not null);
            if (tiers.Count == 0 && !hasStreams)
            {
                L("(the dataset has no tier or streams_30d analysis column)");
                continue;
            }
            var cols = new List<string> { "variant" };
            cols.AddRange(tiers.Select(t => $"tier {t}"));
            if (hasStreams) cols.AddRange(["less-streamed", "rest"]);
            var rows = new List<IReadOnlyList<string>>();
            foreach (var v in r.Variants)
            {
                var vm = v.Metrics.GetValueOrDefault(m.Name);
                bool isBase = v.Name == r.Baseline;
                var cells = new List<string> { v.Name };
                cells.AddRange(tiers.Select(t => Cell(vm?.ByTier.GetValueOrDefault(t), isBase)));
                if (hasStreams) cells.AddRange([Cell(vm?.LessStreamed, isBase), Cell(vm?.Rest, isBase)]);
                rows.Add(cells);
            }
            var any = r.Variants.Select(v => v.Metrics.GetValueOrDefault(m.Name)).FirstOrDefault(x => x?.All is not null);
            if (any is not null)
            {
                var cells = new List<string> { "positives" };
                cells.AddRange(tiers.Select(t => any.ByTier.GetValueOrDefault(t)?.Positives.ToString(Inv) ?? ""));
                if (hasStreams) cells.AddRange([any.LessStreamed?.Positives.ToString(Inv) ?? "", any.Rest?.Positives.ToString(Inv) ?? ""]);
                rows.Add(cells);
                if (any.All?.OracleAp is not null)
                {
                    var oracle = new List<string> { "oracle AP" };
                    oracle.AddRange(tiers.Select(t => F(any.ByTier.GetValueOrDefault(t)?.OracleAp)));
                    if (hasStreams) oracle.AddRange([F(any.LessStreamed?.OracleAp), F(any.Rest?.OracleAp)]);
                    rows.Add(oracle);
                }
            }
            Table(sb, cols, rows);
        }
        if (r.Metrics.Any(m => m.OracleAp is not null))
        {
            L();
            L("## Fraction of oracle AP");
            L();
            Table(sb, new[] { "variant" }.Concat(r.Metrics.Select(m => m.Name)).ToList(),
                r.Variants.Select(v => (IReadOnlyList<string>)new[] { v.Name }.Concat(r.Metrics.Select(m =>
                    v.Metrics.GetValueOrDefault(m.Name)?.All?.FractionOfOracle is { } f ? f.ToString("P0", Inv) : "n/a")).ToList()).ToList());
        }
        if (r.Notes.Count > 0)
        {
            L();
            L("## Notes");
            L();
            foreach (var n in r.Notes) L($"- {n}");
        }
        return sb.ToString();
    }

    private static string F(double? v) => v is { } x ? x.ToString("F4", Inv) : "n/a";

    private static void Table(StringBuilder sb, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        static string Esc(string s) => s.Replace("|", "\\|");
        sb.Append("| ").Append(string.Join(" | ", columns.Select(Esc))).Append(" |\n");
        sb.Append('|').Append(string.Concat(columns.Select((_, i) => i == 0 ? "---|" : "---:|"))).Append('\n');
        foreach (var row in rows) sb.Append("| ").Append(string.Join(" | ", row.Select(Esc))).Append(" |\n");
    }
}
