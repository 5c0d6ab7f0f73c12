using System.CommandLine;
using Crossfeed.Core;
using Crossfeed.Training;

namespace Crossfeed.Cli.Commands;

public static class FinetuneCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The trained bundle to start from.", Required = true };
        var config = new Option<FileInfo>("--config") { Description = "Model YAML: the bundle's tasks, then the new ones, and a finetune block.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The new bundle folder.", Required = true };
        var data = new Option<FileInfo?>("--data") { Description = "Dataset YAML (default: the one the bundle was trained on)." };
        var cmd = new Command("finetune", "Add a task head to a bundle for a new objective (encoder frozen or not), or score an existing head against a new label.")
            { model, config, output, data };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            Run(ctx, pr.GetValue(model)!.FullName, pr.GetValue(config)!.FullName, pr.GetValue(output)!.FullName, pr.GetValue(data)?.FullName);
        }));
        return cmd;
    }

    public static void Run(CliContext ctx, string bundleDir, string configPath, string outDir, string? dataPath)
    {
        using var source = Bundle.Load(bundleDir);
        var dataset = dataPath is null ? source.Dataset : DatasetConfigLoader.Load(dataPath);
        source.Preprocessor.CheckCompatible(dataset);
        var config = ModelConfigLoader.Load(configPath, dataset);
        var train = EvaluateCommands.Encode(ctx, source, dataset, SplitName.Train);
        var val = EvaluateCommands.Encode(ctx, source, dataset, SplitName.Val);
        using var result = ctx.WithProgress($"finetune {config.Name}", p =>
            Finetuner.Fit(source, config, dataset, train, val,
                new TrainOptions(Progress: TrainCommand.Reporter(ctx, $"finetune {config.Name}", p), Cancellation: ctx.Cancellation)));
        Bundle.Save(outDir, result);
        TrainCommand.PrintHistory(ctx, config, result);
        ctx.Out.WriteLine($"bundle: {outDir}{(config.Finetune!.ZeroShot ? " (zero-shot: heads copied, no training)" : "")}");
    }
}
