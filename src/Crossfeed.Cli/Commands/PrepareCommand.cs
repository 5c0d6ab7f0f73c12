using System.CommandLine;
using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Cli.Commands;

/// <summary>prepare: read and encode a dataset once into its cache, which train, experiment, evaluate, calibrate and finetune then read.</summary>
public static class PrepareCommand
{
    public static Command Create(CliContext ctx)
    {
        var data = new Option<FileInfo>("--data") { Description = "Dataset YAML to encode.", Required = true };
        var cmd = new Command("prepare", "Fit the preprocessor on the training split and write every encoded split to the dataset's cache (.crossfeed-cache/NAME beside the YAML); later commands use it while the config and input files are unchanged.")
            { data };
        cmd.SetAction(CliApp.Guarded(ctx, pr => Run(ctx, pr.GetValue(data)!.FullName)));
        return cmd;
    }

    public static string Run(CliContext ctx, string dataPath)
    {
        var dataset = DatasetConfigLoader.Load(dataPath);
        var key = EncodedCache.Key(dataset, out var why) ?? throw new BadInputException($"{dataPath}: {why}");
        var dir = EncodedCache.DefaultDir(dataset);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Streamed: each split is written chunk by chunk as it is encoded, so memory does not grow with the rows.
        var report = ctx.WithStatus($"prepare {dataset.Name}", p => EncodedCache.Prepare(dataset, dir, key,
            new Progress<LoadProgress>(lp => p.Report($"{lp.Phase.ToString().ToLowerInvariant()} {Path.GetFileName(lp.Input)}: {lp.Rows:N0} rows")), ctx.Cancellation));
        ctx.Out.WriteLine(report.ToString());
        long bytes = EncodedCache.SizeOnDisk(dir);
        ctx.Out.WriteLine($"cache: {dir} ({bytes / 1048576.0:F0} MiB, {clock.Elapsed.TotalSeconds:F1} s); train, experiment, evaluate, calibrate and finetune read it while {Path.GetFileName(dataPath)} and its input files are unchanged");
        return dir;
    }
}
