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
        return new Command("bench", "Benchmarks (see docs/benchmarks.md).") { train };
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
