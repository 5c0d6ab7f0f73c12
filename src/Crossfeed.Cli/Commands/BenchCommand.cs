using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Crossfeed.Performance;
using Crossfeed.Core;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

public static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = new Option<FileInfo?>("--out") { Description = "Also write the results as JSON to this file." };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per case.", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch-size") { Description = "Examples per step.", DefaultValueFactory = _ => 1024 };
        var train = new Command("train", "Training throughput: small vs large embedding tables, lazy vs dense Adam, dense GFLOP/s vs matmul.") { output, steps, batch };
        train.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var s = pr.GetValue(steps);
            var b = pr.GetValue(batch);
            if (s < 20) throw new ArgumentException($"--steps must be at least 20 (10 are warm-up), got {s}");
            if (b < 1) throw new ArgumentException($"--batch-size must be positive, got {b}");
            var result = TrainBenchmark.Run(s, b, ctx.Err);
            Print(ctx, result);
            if (pr.GetValue(output) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return new Command("bench", "Benchmarks (see docs/benchmarks.md).") { train, Score(ctx, output) };
    }

    private static Command Score(CliContext ctx, Option<FileInfo?> output)
    {
        var config = new Option<FileInfo?>("--config") { Description = "Model YAML to benchmark (default: configs/podcast-joint.yaml)." };
        var impressions = new Option<long>("--impressions") { Description = "Impressions of the simulated world the models are trained on.", DefaultValueFactory = _ => 40_000 };
        var steps = new Option<int>("--steps") { Description = "Training steps (latency does not depend on quality).", DefaultValueFactory = _ => 300 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed requests per scorer and size, after 20 warm-up requests.", DefaultValueFactory = _ => 200 };
        var score = new Command("score", "Ranking latency of one user against 100 and 1,000 candidates: factorised vs plain scoring vs ML.NET LightGBM.")
        {
            output, config, impressions, steps, repetitions,
        };
        score.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var path = pr.GetValue(config)?.FullName ?? Path.Combine(DemoCommand.ConfigsDir(), "podcast-joint.yaml");
            var reps = pr.GetValue(repetitions);
            if (reps < 10) throw new ArgumentException($"--repetitions must be at least 10, got {reps}");
            if (pr.GetValue(impressions) < 5_000) throw new ArgumentException($"--impressions must be at least 5000, got {pr.GetValue(impressions)}");
            if (pr.GetValue(steps) < 1) throw new ArgumentException($"--steps must be positive, got {pr.GetValue(steps)}");
            var result = ScoreBenchmark.Run(path, pr.GetValue(impressions), pr.GetValue(steps), reps, [100, 1_000], ctx.Err);
            Print(ctx, result);
            if (pr.GetValue(output) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return score;
    }

    private static void Print(CliContext ctx, ScoreBenchResult r)
    {
        static string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        var table = new Table().Title($"scoring latency, one user ({Path.GetFileName(r.Config)}: {r.Architecture}, {r.Tasks} tasks; {r.Threads} threads; ms per request)");
        table.AddColumn("scorer");
        table.AddColumn("candidates");
        table.AddColumn("p50 ms");
        table.AddColumn("p99 ms");
        table.AddColumn("requests");
        foreach (var c in r.Cases) table.AddPlainRow(c.Scorer, c.Candidates.ToString("N0", CultureInfo.InvariantCulture), F(c.P50Ms, "F2"), F(c.P99Ms, "F2"), c.Repetitions.ToString(CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
        foreach (var x in r.Ratios)
            ctx.Out.WriteLine($"{x.Candidates:N0} candidates: plain / factorised p50 {F(x.PlainOverFactorised, "F2")}x; LightGBM / factorised p50 {F(x.LightGbmOverFactorised, "F2")}x");
        ctx.Out.WriteLine($"models trained {r.TrainingSteps} steps on a simulated world of {r.Impressions:N0} impressions (latency does not depend on quality)");
        ctx.Out.WriteLine($"resident memory {r.ResidentBytes / 1048576.0:F0} MiB (peak {r.PeakResidentBytes / 1048576.0:F0} MiB); load average {r.LoadAverage}");
    }

    private static void Print(CliContext ctx, TrainBenchResult r)
    {
        static string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        var table = new Table().Title($"training throughput (batch {r.BatchSize}, {r.Threads} threads; medians)");
        table.AddColumn("case");
        table.AddColumn("table rows");
        table.AddColumn("median step ms");
        table.AddColumn("examples/s");
        foreach (var c in r.Cases) table.AddPlainRow(c.Name, c.TableRows.ToString("N0", CultureInfo.InvariantCulture), F(c.MedianStepMs, "F1"), c.ExamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
        ctx.Out.WriteLine($"large / small tables (lazy Adam): {F(r.LargeOverSmall, "F2")} (target >= 0.8)");
        ctx.Out.WriteLine($"lazy / dense Adam on large tables: {F(r.LazyOverDense, "F1")}x");
        ctx.Out.WriteLine($"dense network: {F(r.DenseGflops, "F1")} GFLOP/s; matmul: {F(r.MatmulGflops, "F1")} GFLOP/s; ratio {F(r.DenseFractionOfMatmul, "P0")} (target >= 40%)");
    }
}
