using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Evaluation;
using Crossfeed.Evaluation.Calibration;
using Crossfeed.Evaluation.Reports;
using Crossfeed.Training;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

/// <summary>evaluate, calibrate and score: everything that reads a bundle and a dataset.</summary>
public static class EvaluateCommands
{
    private static Option<DirectoryInfo> ModelOption() => new("--model") { Description = "A trained bundle folder.", Required = true };

    private static Option<FileInfo?> DataOption(bool required) => new("--data")
    {
        Description = required ? "Dataset YAML." : "Dataset YAML (default: the one the bundle was trained on).",
        Required = required,
    };

    private static Option<string> SplitOption(string fallback)
    {
        var split = new Option<string>("--split") { Description = "train, val or test.", DefaultValueFactory = _ => fallback };
        split.AcceptOnlyFromAmong("train", "val", "test");
        return split;
    }

    public static Command Evaluate(CliContext ctx)
    {
        var model = ModelOption();
        var data = DataOption(required: true);
        var split = SplitOption("test");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for metrics.json, report.md and report.html.", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for AP intervals (0: none).", DefaultValueFactory = _ => 200 };
        var cmd = new Command("evaluate", "Score a split with a bundle and report metrics by task, source, tier, less-streamed shows, modality and slot.")
            { model, data, split, output, bootstrap };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
            RunEvaluate(ctx, pr.GetValue(model)!.FullName, pr.GetValue(data)?.FullName, Enum.Parse<SplitName>(pr.GetValue(split)!, ignoreCase: true),
                        pr.GetValue(output)!.FullName, pr.GetValue(bootstrap))));
        return cmd;
    }

    /// <summary>Evaluates a bundle on a split, writes metrics.json, report.md and report.html, prints the tables.</summary>
    public static EvaluationResult RunEvaluate(CliContext ctx, string bundleDir, string? dataPath, SplitName split, string outDir, int bootstrap)
    {
        using var bundle = Bundle.Load(bundleDir);
        var dataset = LoadDataset(bundle, dataPath);
        var encoded = Encode(ctx, bundle, dataset, split);
        var result = ctx.WithStatus("evaluate", _ => Evaluator.Evaluate(bundle, encoded, bootstrap));
        EvaluationReport.Write(result, outDir);
        Print(ctx, result);
        ctx.Out.WriteLine($"wrote {Path.Combine(outDir, "metrics.json")}, report.md and report.html");
        return result;
    }

    public static Command Calibrate(CliContext ctx)
    {
        var model = ModelOption();
        var data = DataOption(required: false);
        var split = SplitOption("val");
        var cmd = new Command("calibrate", "Fit a temperature per task on validation rows and store it in the bundle (applied by evaluate, score and serve; --split test is refused).")
            { model, data, split };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
            RunCalibrate(ctx, pr.GetValue(model)!.FullName, pr.GetValue(data)?.FullName, Enum.Parse<SplitName>(pr.GetValue(split)!, ignoreCase: true))));
        return cmd;
    }

    /// <summary>Fits the temperatures on a split, stores them in the bundle's manifest and prints ECE before and after.</summary>
    public static IReadOnlyList<TaskCalibration> RunCalibrate(CliContext ctx, string dir, string? dataPath, SplitName split)
    {
        if (split == SplitName.Test)
            throw new BadInputException("--split test: temperatures fitted on the test split leak it into every figure evaluated there; fit on val (the default) or train");
        IReadOnlyList<TaskCalibration> fitted;
        using (var bundle = Bundle.Load(dir))
        {
            var dataset = LoadDataset(bundle, dataPath);
            fitted = Calibrator.Fit(bundle, Encode(ctx, bundle, dataset, split));
        }
        var splitName = split.ToString().ToLowerInvariant();
        var report = new JsonObject
        {
            ["split"] = splitName,
            ["tasks"] = new JsonObject(fitted.Select(f => new KeyValuePair<string, JsonNode?>(f.Task, new JsonObject
            {
                ["temperature"] = f.Temperature,
                ["rows"] = f.Rows,
                ["ece_before"] = f.EceBefore,
                ["ece_after"] = f.EceAfter,
                ["logloss_before"] = f.LogLossBefore,
                ["logloss_after"] = f.LogLossAfter,
            }))),
        };
        Bundle.WriteCalibration(dir, fitted.Select(f => (float)f.Temperature).ToArray(), report);
        var table = new Table().Title($"temperature scaling on {splitName} (stored in {Path.Combine(dir, "manifest.json")})");
        table.AddColumns("task", "rows", "temperature", "ECE before", "ECE after", "log loss before", "log loss after");
        foreach (var f in fitted)
            table.AddPlainRow(f.Task, f.Rows.ToString("N0", CultureInfo.InvariantCulture), F(f.Temperature, "F3"), F(f.EceBefore), F(f.EceAfter), F(f.LogLossBefore), F(f.LogLossAfter));
        ctx.Console.Write(table);
        return fitted;
    }

    public static Command Score(CliContext ctx)
    {
        var model = ModelOption();
        var input = new Option<FileInfo>("--in") { Description = "Impressions to score: a Parquet or CSV file (or folder) laid out like the bundle's dataset.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Parquet file to write: key columns, source, one probability column per task.", Required = true };
        var cmd = new Command("score", "Score impressions with a bundle (calibrated probabilities), streaming, Parquet out.") { model, input, output };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            using var bundle = Bundle.Load(pr.GetValue(model)!.FullName);
            var rows = ctx.WithStatus("score", p =>
                BatchScorer.Score(bundle, pr.GetValue(input)!.FullName, pr.GetValue(output)!.FullName,
                    new Progress<long>(n => p.Report($"{n:N0} rows")), ctx.Cancellation));
            ctx.Out.WriteLine($"scored {rows:N0} rows -> {pr.GetValue(output)!.FullName}");
        }));
        return cmd;
    }

    private static DatasetConfig LoadDataset(TrainedModel bundle, string? dataPath)
    {
        var dataset = dataPath is null ? bundle.Dataset : DatasetConfigLoader.Load(dataPath);
        bundle.Preprocessor.CheckCompatible(dataset);
        return dataset;
    }

    /// <summary>One split encoded with the bundle's vocabularies: from the dataset's cache when it is current and was encoded with them, else read and encoded.</summary>
    public static EncodedSplit Encode(CliContext ctx, TrainedModel bundle, DatasetConfig dataset, SplitName split)
    {
        var cached = EncodedCache.TryLoadSplit(dataset, bundle.Preprocessor, split, out var why);
        if (cached is not null || EncodedCache.IsNews(why)) ctx.Out.WriteLine($"data: {why}");
        return cached ?? ctx.WithStatus($"encode {split.ToString().ToLowerInvariant()} of {dataset.Name}", p =>
            DatasetLoader.Encode(dataset, bundle.Preprocessor, split,
                new Progress<LoadProgress>(lp => p.Report($"{lp.Phase.ToString().ToLowerInvariant()}: {lp.Rows:N0} rows")), ctx.Cancellation));
    }

    public static string F(double? v, string format = "F4") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static void Print(CliContext ctx, EvaluationResult r)
    {
        var tasks = new Table().Title($"{r.Model} on {r.Dataset} ({r.Split}{(r.Calibrated ? ", calibrated" : "")})");
        tasks.AddColumns("task", "n", "positives", "AP (95% CI)", "oracle AP", "of oracle", "AUC", "log loss", "ECE");
        foreach (var name in r.TaskOrder)
        {
            var m = r.Tasks[name];
            var ci = m.ApLow is { } lo && m.ApHigh is { } hi ? $" [{F(lo)}, {F(hi)}]" : "";
            tasks.AddPlainRow(name + (m.HasFewPositives ? " (!)" : ""), m.N.ToString("N0", CultureInfo.InvariantCulture), m.Positives.ToString("N0", CultureInfo.InvariantCulture),
                F(m.Ap) + ci, F(m.OracleAp), m.FractionOfOracle is { } f ? f.ToString("P0", CultureInfo.InvariantCulture) : "n/a", F(m.Auc), F(m.LogLoss), F(m.Ece));
        }
        ctx.Console.Write(tasks);
        if (r.ByTier.Count > 0)
        {
            var tiers = new Table().Title("AP by popularity tier (oracle in brackets); tiers 3-5 are the less-streamed shows");
            tiers.AddColumn("task");
            for (int t = 0; t < 8; t++) tiers.AddColumn(t.ToString(CultureInfo.InvariantCulture));
            tiers.AddColumn("less-streamed");
            tiers.AddColumn("rest");
            foreach (var name in r.TaskOrder.Where(r.ByTier.ContainsKey))
            {
                var cells = new List<string> { name };
                cells.AddRange(Enumerable.Range(0, 8).Select(t => r.ByTier[name].TryGetValue(t.ToString(CultureInfo.InvariantCulture), out var m) ? Cell(m) : "-"));
                cells.Add(r.LessStreamed.TryGetValue(name, out var l) ? Cell(l) : "-");
                cells.Add(r.RestStreamed.TryGetValue(name, out var rest) ? Cell(rest) : "-");
                tiers.AddPlainRow(cells.ToArray());
            }
            ctx.Console.Write(tiers);
        }
        foreach (var w in r.Warnings) ctx.Out.WriteLine($"note: {w}");
        ctx.Out.WriteLine("(!) marks slices with fewer than 30 positives: shown, but unreliable.");

        static string Cell(MetricSet m) =>
            (m.Ap is { } ap ? F(ap, "F3") : "n/a") + (m.OracleAp is { } o ? $" [{F(o, "F3")}]" : "") + (m.HasFewPositives ? " (!)" : "");
    }
}
