using System.CommandLine;
using Crossfeed.Core;
using Crossfeed.Experiments;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

/// <summary>`crossfeed experiment NAME --data DATASET.yaml --out DIR [--seeds N] [--quick]`: a named suite of docs/experiments.md.</summary>
public static class ExperimentCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string>("NAME") { Description = "Suite: " + string.Join(", ", Suites.Names) + "." };
        var data = new Option<FileInfo>("--data") { Description = "Dataset YAML (every variant trains on its splits).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for results.json and report.md.", Required = true };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per variant; from 3 on, CIs come from the spread across seeds.", DefaultValueFactory = _ => 1 };
        var quick = new Option<bool>("--quick") { Description = "Cap every model to one epoch of a few hundred steps (a fast look, not a result)." };
        var configs = new Option<DirectoryInfo?>("--configs") { Description = "Folder of the shipped model configs (default: the repository's configs/)." };
        var only = new Option<string[]>("--variants")
        {
            Description = "Run only these variants (comma-separated or repeated) besides the baseline; write --variants=-creative-ids for a name that starts with a dash.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var cmd = new Command("experiment", "Train the variants of a named suite on the same splits and compare them with its baseline.")
        {
            name, data, output, seeds, quick, configs, only,
        };
        cmd.SetAction(CliApp.Guarded(ctx, pr => Run(ctx, pr.GetValue(name)!, pr.GetValue(data)!.FullName, pr.GetValue(output)!.FullName,
            pr.GetValue(seeds), pr.GetValue(quick), pr.GetValue(configs)?.FullName,
            (pr.GetValue(only) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList())));
        return cmd;
    }

    public static ExperimentResult Run(CliContext ctx, string name, string dataPath, string outDir, int seeds, bool quick, string? configsDir = null,
                                       IReadOnlyCollection<string>? variants = null)
    {
        Suites.Find(name); // an unknown name is bad input before any loading
        if (seeds < 1) throw new BadInputException($"--seeds must be at least 1, got {seeds}");
        var dataset = DatasetConfigLoader.Load(dataPath);
        var suite = Suites.Build(name, dataset, configsDir); // fails fast on a dataset the suite cannot use
        ctx.Out.WriteLine($"experiment {suite.Name}: {suite.Description}");
        var encoded = TrainCommand.LoadData(ctx, dataset);
        suite = Suites.Build(name, dataset, configsDir, encoded.Train);
        if (variants is { Count: > 0 }) suite = suite.Only(variants);
        ctx.Out.WriteLine($"variants: {string.Join(", ", suite.Variants.Select(v => v.Name))} (baseline {suite.Baseline.Name}); seeds {seeds}{(quick ? "; quick" : "")}");

        var result = ctx.WithProgress($"experiment {suite.Name}", live =>
        {
            var progress = new Reporter(ctx, live);
            return ExperimentRunner.Run(suite, ExperimentData.From(encoded),
                new ExperimentOptions { Seeds = seeds, Quick = quick, Progress = progress, Cancellation = ctx.Cancellation });
        });
        var (results, report) = ExperimentReport.Write(result, outDir);
        Print(ctx, result);
        ctx.Out.WriteLine($"results: {results}");
        ctx.Out.WriteLine($"report: {report}");
        return result;
    }

    /// <summary>The console table: one row per variant, one column per metric (AP, relative change vs baseline [CI]).</summary>
    public static void Print(CliContext ctx, ExperimentResult result)
    {
        var table = new Table().Title(Markup.Escape($"{result.Suite} on {result.Dataset}: test AP, change vs {result.Baseline} [95% CI]"));
        foreach (var c in ExperimentReport.Columns(result)) table.AddColumn(Markup.Escape(c));
        foreach (var row in ExperimentReport.Rows(result)) table.AddRow(row.Select(Markup.Escape).ToArray());
        ctx.Console.Write(table);
        ctx.Out.WriteLine($"CIs: {result.CiMethod}.");
        if (result.Variants.Any(v => v.Metrics.Values.Any(m => m.BorrowedHead)))
            ctx.Out.WriteLine($"{ExperimentReport.BorrowedMark} scored by a head built for other rows (same label, other source).");
        foreach (var v in result.Variants.Where(v => v.Error is not null)) ctx.Err.WriteLine($"variant {v.Name} failed: {v.Error}");
        foreach (var n in result.Notes) ctx.Out.WriteLine($"note: {n}");
    }

    private sealed class Reporter(CliContext ctx, ILiveProgress live) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress p)
        {
            var seed = p.Seed > 0 ? $" seed +{p.Seed}" : "";
            if (p.IsMessage) ctx.Err.WriteLine($"{p.Variant}{seed}: {p.Text}");
            live.Describe($"[{p.Run}/{p.Runs}] {p.Variant}{seed}: {p.Text}");
            live.Report(p.Fraction);
        }
    }
}
