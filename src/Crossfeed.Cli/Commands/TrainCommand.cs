using System.CommandLine;
using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

public static class TrainCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Option<FileInfo>("--config") { Description = "Model YAML (architecture, tasks, masks, sampling, optimisation).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Dataset YAML (files, columns and their roles).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Bundle folder to write (replaced atomically).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in BUNDLE.checkpoint/ after a crash." };
        var outOfCore = new Option<bool>("--out-of-core")
        {
            Description = "Read training batches block by block from the dataset's cache (run `prepare` first) instead of loading it: the rows held do not grow with the split "
                + $"(validation scores at most {Trainer.MaxValidationRows:N0} rows: every s-th block of a larger split). "
                + "Chosen by itself when the cache's train and validation splits would take more than a quarter of the memory.",
        };
        var cmd = new Command("train", "Train a multi-task model and write a bundle.") { config, data, output, resume, outOfCore };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            Run(ctx, pr.GetValue(config)!.FullName, pr.GetValue(data)!.FullName, pr.GetValue(output)!.FullName, pr.GetValue(resume), pr.GetValue(outOfCore));
        }));
        return cmd;
    }

    /// <summary>Loads and encodes a dataset with a status line, then prints the split sizes and any features whose ids the training vocabulary mostly does not know.</summary>
    public static EncodedDataset LoadData(CliContext ctx, DatasetConfig dataset)
    {
        // A current cache written by `prepare` replaces the read and encode; a stale one is said and ignored.
        var encoded = EncodedCache.TryLoad(dataset, out var why);
        if (encoded is not null || EncodedCache.IsNews(why)) ctx.Out.WriteLine($"data: {why}");
        encoded ??= ReadAndEncode(ctx, dataset);
        ctx.Out.WriteLine($"data: train {encoded.Train.Count:N0} rows, val {encoded.Val.Count:N0}, test {encoded.Test.Count:N0} (loaded in {encoded.Report.Elapsed.TotalSeconds:F1} s)");
        if (UnseenIds.Describe(encoded) is { } unseen) ctx.Out.WriteLine(unseen);
        return encoded;
    }

    /// <summary>Reads the dataset's input and encodes it (fitting the preprocessor on the training split), with a status line.</summary>
    public static EncodedDataset ReadAndEncode(CliContext ctx, DatasetConfig dataset) =>
        ctx.WithStatus($"load {dataset.Name}", p => DatasetLoader.Load(dataset,
            new Progress<LoadProgress>(lp => p.Report($"{lp.Phase.ToString().ToLowerInvariant()} {Path.GetFileName(lp.Input)}: {lp.Rows:N0} rows")), ctx.Cancellation));

    public static void Run(CliContext ctx, string configPath, string dataPath, string outDir, bool resume, bool outOfCore = false)
    {
        var dataset = DatasetConfigLoader.Load(dataPath);
        var model = ModelConfigLoader.Load(configPath, dataset);
        Trainer.TrainingDevice(model.Training); // a device this machine lacks is refused before the data is read
        var checkpointDir = outDir.TrimEnd('/') + ".checkpoint";
        var cache = OutOfCoreCache(ctx, dataset, outOfCore);
        using var result = cache is not null
            ? TrainOutOfCore(ctx, model, dataset, cache, checkpointDir, resume)
            : TrainWithProgress(ctx, model, dataset, LoadData(ctx, dataset), checkpointDir, resume);
        Bundle.Save(outDir, result);
        if (Directory.Exists(checkpointDir)) Directory.Delete(checkpointDir, recursive: true);
        PrintHistory(ctx, model, result);
        ctx.Out.WriteLine($"bundle: {outDir} (best epoch {result.History.BestEpoch})");

    }

    /// <summary>The cache to train from out of core: when asked (a current cache is then required), or when its train and validation splits would take more than a quarter of the memory.</summary>
    private static OpenedCache? OutOfCoreCache(CliContext ctx, DatasetConfig dataset, bool asked)
    {
        var cache = EncodedCache.TryOpen(dataset, out var why);
        if (cache is null)
            return asked ? throw new BadInputException($"--out-of-core reads the dataset's cache, and there is none to read: {why}; run `crossfeed prepare --data {dataset.ConfigPath}` first") : null;
        long bytes = cache.Bytes(SplitName.Train) + cache.Bytes(SplitName.Val);
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (!asked && bytes <= memory / 4) return null;
        ctx.Out.WriteLine($"data: out of core {why} ({bytes / 1048576.0:N0} MiB of train and validation, {memory / 1073741824.0:F1} GiB of memory): "
            + $"train {cache.Report.TrainRows:N0} rows, val {cache.Report.ValRows:N0}, test {cache.Report.TestRows:N0}, read in blocks of {OutOfCoreSampler.DefaultBlockRows:N0} rows, {OutOfCoreSampler.DefaultBufferBlocks} per source buffer");
        if (UnseenIdsOutOfCore(cache) is { } unseen) ctx.Out.WriteLine(unseen);
        return cache;
    }

    /// <summary>Rows per split the out-of-core OOV shares are counted on: every s-th block of a larger split (a systematic sample).</summary>
    private const int UnseenSampleRows = 8 * OutOfCoreSampler.DefaultBlockRows;

    /// <summary>The line of <see cref="UnseenIds.Describe(EncodedDataset, double)"/> for a cache too large to load, its shares counted on at most <see cref="UnseenSampleRows"/> rows of each split.</summary>
    private static string? UnseenIdsOutOfCore(OpenedCache cache)
    {
        IReadOnlyDictionary<string, double> Shares(SplitName name)
        {
            using var split = cache.Split(name);
            return UnseenIds.Shares(split.Blocks(OutOfCoreSampler.DefaultBlockRows, UnseenSampleRows), cache.Preprocessor);
        }
        return UnseenIds.Describe(Shares(SplitName.Train), Shares(SplitName.Val), Shares(SplitName.Test));
    }

    private static TrainedModel TrainOutOfCore(CliContext ctx, ModelConfig model, DatasetConfig dataset, OpenedCache cache, string checkpointDir, bool resume)
    {
        using var train = cache.Split(SplitName.Train);
        using var val = cache.Split(SplitName.Val);
        return ctx.WithProgress($"train {model.Name}", p =>
            Trainer.Fit(model, dataset, train, val, cache.Preprocessor,
                new TrainOptions(checkpointDir, resume, Reporter(ctx, $"train {model.Name}", p), ctx.Cancellation)));
    }

    public static TrainedModel TrainWithProgress(CliContext ctx, ModelConfig model, DatasetConfig dataset, EncodedDataset encoded,
                                                string? checkpointDir, bool resume)
    {
        return ctx.WithProgress($"train {model.Name}", p =>
            Trainer.Fit(model, dataset, encoded.Train, encoded.Val, encoded.Preprocessor,
                new TrainOptions(checkpointDir, resume, Reporter(ctx, $"train {model.Name}", p), ctx.Cancellation)));
    }

    /// <summary>Shows training progress on a live bar (or plain lines) and prints each epoch's validation AP.</summary>
    public static IProgress<TrainProgress> Reporter(CliContext ctx, string label, ILiveProgress p) => new Progress<TrainProgress>(tp =>
    {
        if (tp.Message is not null)
        {
            ctx.Err.WriteLine($"{label}: {tp.Message}");
            return;
        }
        var losses = string.Join(" ", tp.TaskLoss.Select(kv => $"{kv.Key} {kv.Value.ToString("F4", CultureInfo.InvariantCulture)}"));
        p.Describe($"epoch {tp.Epoch}/{tp.Epochs} step {tp.Step}/{tp.TotalSteps} {tp.ExamplesPerSecond:N0} ex/s loss {losses}");
        if (tp.TotalSteps > 0) p.Report((double)tp.Step / tp.TotalSteps);
    });

    public static void PrintHistory(CliContext ctx, ModelConfig model, TrainedModel result)
    {
        var table = new Table().Title($"{model.Name}: validation AP per epoch");
        table.AddColumn("epoch");
        table.AddColumn("train loss");
        foreach (var t in model.Tasks) table.AddColumn(t.Name);
        table.AddColumn("seconds");
        foreach (var e in result.History.Epochs)
        {
            var cells = new List<string> { e.Epoch.ToString(CultureInfo.InvariantCulture) + (e.Epoch == result.History.BestEpoch ? " *" : ""), e.TrainLoss is { } loss ? loss.ToString("F4", CultureInfo.InvariantCulture) : "-" };
            cells.AddRange(model.Tasks.Select(t => e.ValAp.TryGetValue(t.Name, out var v) && v is { } x ? x.ToString("F4", CultureInfo.InvariantCulture) : "n/a"));
            cells.Add(e.Seconds.ToString("F0", CultureInfo.InvariantCulture));
            table.AddPlainRow(cells.ToArray());
        }
        ctx.Console.Write(table);
    }
}
