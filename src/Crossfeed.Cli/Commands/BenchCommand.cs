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
        return new Command("bench", "Benchmarks (see docs/benchmarks.md).") { train, Score(ctx, output), Rank(ctx, output), AbTest(ctx, output), Scale(ctx, output) };
    }

    private static Command Score(CliContext ctx, Option<FileInfo?> output)
    {
        var config = new Option<FileInfo?>("--config") { Description = "Model YAML to benchmark (default: configs/podcast-joint.yaml)." };
        var impressions = new Option<long>("--impressions") { Description = "Impressions of the simulated world the models are trained on.", DefaultValueFactory = _ => 40_000 };
        var steps = new Option<int>("--steps") { Description = "Training steps (latency does not depend on quality).", DefaultValueFactory = _ => 300 };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed requests per scorer and size, after 20 warm-up requests.", DefaultValueFactory = _ => 200 };
        var scenario = SimulateCommand.ScenarioOption("The simulated world the model is trained on: podcast, or camoe for configs/camoe.yaml.");
        var score = new Command("score", "Ranking latency of one user against 100 and 1,000 candidates: factorised (with and without the candidate cache) vs plain scoring vs ML.NET LightGBM.")
        {
            output, config, impressions, steps, repetitions, scenario,
        };
        score.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var path = pr.GetValue(config)?.FullName ?? Path.Combine(DemoCommand.ConfigsDir(), "podcast-joint.yaml");
            var reps = pr.GetValue(repetitions);
            if (reps < 10) throw new ArgumentException($"--repetitions must be at least 10, got {reps}");
            if (pr.GetValue(impressions) < 5_000) throw new ArgumentException($"--impressions must be at least 5000, got {pr.GetValue(impressions)}");
            if (pr.GetValue(steps) < 1) throw new ArgumentException($"--steps must be positive, got {pr.GetValue(steps)}");
            var result = ScoreBenchmark.Run(path, SimulateCommand.ScenarioOf(pr.GetValue(scenario)!), pr.GetValue(impressions),
                pr.GetValue(steps), reps, [100, 1_000], ctx.Err);
            Print(ctx, result);
            if (pr.GetValue(output) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return score;
    }

    private static Command Rank(CliContext ctx, Option<FileInfo?> output)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The bundle folder to serve.", Required = true };
        var request = new Option<FileInfo>("--request") { Description = "A POST /v1/rank body (JSON) to rank again and again.", Required = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Callers ranking at once, in a closed loop.", DefaultValueFactory = _ => 8 };
        var duration = new Option<int>("--duration") { Description = "Seconds of timed requests.", DefaultValueFactory = _ => 30 };
        var warmUp = new Option<int>("--warmup") { Description = "Seconds of untimed requests first, in the same closed loop (bench/http-load.sh warms the server as long).", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads per request (as serve --threads).", DefaultValueFactory = _ => 1 };
        var rank = new Command("rank", "In-process ranking of one request body by the service's own code, without HTTP: the reference for bench/http-load.sh's ratio.")
        {
            output, model, request, concurrency, duration, warmUp, threads,
        };
        rank.SetAction(CliApp.Guarded(ctx, pr =>
        {
            if (pr.GetValue(concurrency) < 1) throw new ArgumentException($"--concurrency must be positive, got {pr.GetValue(concurrency)}");
            if (pr.GetValue(duration) < 1) throw new ArgumentException($"--duration must be at least 1 second, got {pr.GetValue(duration)}");
            if (pr.GetValue(warmUp) < 0) throw new ArgumentException($"--warmup must be 0 or more seconds, got {pr.GetValue(warmUp)}");
            if (pr.GetValue(threads) < 1) throw new ArgumentException($"--threads must be positive, got {pr.GetValue(threads)}");
            var r = RankBenchmark.Run(pr.GetValue(model)!.FullName, pr.GetValue(request)!.FullName, pr.GetValue(concurrency),
                TimeSpan.FromSeconds(pr.GetValue(duration)), TimeSpan.FromSeconds(pr.GetValue(warmUp)), pr.GetValue(threads), ctx.Err);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in-process: concurrency {r.Concurrency}, {r.Requests} requests, requests/s {r.RequestsPerSecond:F1}, p50 {r.P50Ms:F3} ms, p99 {r.P99Ms:F3} ms"));
            if (pr.GetValue(output) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return rank;
    }

    private static Command AbTest(CliContext ctx, Option<FileInfo?> output)
    {
        var world = new Option<DirectoryInfo>("--world") { Description = "A simulated world folder.", Required = true };
        var control = new Option<string>("--control") { Description = "Control arm: bundle folder, oracle or random.", Required = true };
        var treatment = new Option<string>("--treatment") { Description = "Treatment arm: bundle folder, oracle or random.", Required = true };
        var abtest = new Command("abtest", "Wall time of `abtest` at its defaults (14 days, default traffic, one replay, user bootstrap included); target: two model arms within 120 s.")
        {
            output, world, control, treatment,
        };
        abtest.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var options = new Crossfeed.AbTest.AbTestOptions();
            var outDir = Path.Combine(Path.GetTempPath(), $"crossfeed-bench-abtest-{Guid.NewGuid():N}");
            try
            {
                var r = AbTestCommand.Run(ctx, pr.GetValue(world)!.FullName, pr.GetValue(control)!, pr.GetValue(treatment)!, outDir, options);
                double visits = 2.0 * options.Days * options.Traffic * options.Seeds;
                var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
                var result = new { r.Options.Days, r.Options.Traffic, r.Options.Seeds, Arms = new[] { r.Control.Name, r.Treatment.Name }, r.ElapsedSeconds, VisitsPerSecond = visits / r.ElapsedSeconds, TargetSeconds = 120, LoadAverage = load };
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"abtest bench: {options.Days} days x {options.Traffic:N0} visits x 2 arms in {r.ElapsedSeconds:F1} s ({result.VisitsPerSecond:F0} visits/s; target 120 s); load average {load}"));
                if (pr.GetValue(output) is { } file)
                    AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            }
            finally
            {
                if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
            }
        }));
        return abtest;
    }

    private static Command Scale(CliContext ctx, Option<FileInfo?> output)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated world sizes in impressions.", DefaultValueFactory = _ => "10000000,50000000" };
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Where the worlds (kept between runs, with their caches), epoch configs and bundles go.", DefaultValueFactory = _ => new DirectoryInfo("bench-scale") };
        var config = new Option<FileInfo>("--config") { Description = "Model YAML to train.", DefaultValueFactory = _ => new FileInfo("configs/podcast-joint.yaml") };
        var steps = new Option<int>("--steps") { Description = "Training steps timed in each of the in-memory and out-of-core runs (the first 20 are warm-up).", DefaultValueFactory = _ => 300 };
        var inMemory = new Option<long>("--in-memory-up-to") { Description = "Largest world also loaded in memory (today's path, for the load-time and throughput comparisons).", DefaultValueFactory = _ => 10_000_000 };
        var epochSteps = new Option<long>("--epoch-steps") { Description = "Cap the out-of-core epoch at this many steps (0: the whole epoch).", DefaultValueFactory = _ => 0 };
        var scale = new Command("scale", "prepare time, rows/s against DuckDB's scan and peak memory; warm-cache start-up; training examples/s out of core vs in memory; one epoch out of core with its peak memory. Targets: 50M impressions train under 4 GB; out of core at least 0.9x in memory; warm start under 10% of the Parquet load.")
        {
            output, sizes, dir, config, steps, inMemory, epochSteps,
        };
        scale.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var list = pr.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 10_000 ? v
                    : throw new BadInputException($"--sizes: '{x}' is not a whole number of impressions of at least 10,000")).ToList();
            if (list.Count == 0) throw new BadInputException("--sizes: give at least one size");
            var cfg = pr.GetValue(config)!;
            if (!cfg.Exists) throw new BadInputException($"--config: {cfg.FullName} does not exist");
            if (pr.GetValue(steps) < 30) throw new BadInputException($"--steps must be at least 30 (20 are warm-up), got {pr.GetValue(steps)}");
            if (pr.GetValue(epochSteps) < 0) throw new BadInputException($"--epoch-steps must be 0 (the whole epoch) or positive, got {pr.GetValue(epochSteps)}");
            var r = ScaleBenchmark.Run(list, pr.GetValue(dir)!.FullName, cfg.FullName, pr.GetValue(steps), pr.GetValue(inMemory), pr.GetValue(epochSteps), ctx.Err);
            Print(ctx, r);
            if (pr.GetValue(output) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return scale;
    }

    private static void Print(CliContext ctx, ScaleBenchResult r)
    {
        static string F(double? v, string f) => v is { } x ? x.ToString(f, CultureInfo.InvariantCulture) : "-";
        static string M(long? b) => b is { } x ? (x / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) : "-";
        ctx.Out.WriteLine($"scale: {Path.GetFileName(r.Config)}, batch {r.BatchSize}, {r.Threads} cores, {r.MemoryBytes / 1073741824.0:F0} GiB");
        var table = new Table();
        table.AddColumn("impressions");
        foreach (var c in r.Cases) table.AddColumn(c.Impressions.ToString("N0", CultureInfo.InvariantCulture));
        void Row(string what, Func<ScaleBenchCase, string> cell) => table.AddPlainRow([what, .. r.Cases.Select(cell)]);
        Row("prepare s", c => F(c.PrepareSeconds, "F0"));
        Row("prepare rows/s", c => F(c.PrepareRowsPerSecond, "N0"));
        Row("DuckDB scan rows/s", c => F(c.DuckDbRowsPerSecond, "N0"));
        Row("prepare peak MiB", c => M(c.PreparePeakBytes));
        Row("cache MiB", c => M(c.CacheBytes));
        Row("load from Parquet s", c => F(c.ParquetLoadSeconds, "F1"));
        Row("warm start s (to step 1)", c => F(c.WarmStartSeconds, "F2"));
        Row("in-memory examples/s", c => F(c.InMemoryExamplesPerSecond, "N0"));
        Row("out-of-core examples/s", c => F(c.OutOfCoreExamplesPerSecond, "N0"));
        Row("out-of-core / in-memory", c => F(c.OutOfCoreExamplesPerSecond / c.InMemoryExamplesPerSecond, "F2"));
        Row("epoch steps", c => c.EpochSteps.ToString("N0", CultureInfo.InvariantCulture));
        Row("epoch s (out of core)", c => F(c.EpochSeconds, "F0"));
        Row("epoch peak MiB", c => M(c.EpochPeakBytes));
        ctx.Console.Write(table);
        foreach (var c in r.Cases.Where(c => c.SimulateSeconds is not null))
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulated {c.Impressions:N0} impressions in {c.SimulateSeconds:F0} s ({c.Shards} shards), peak {M(c.SimulatePeakBytes)} MiB"));
        ctx.Out.WriteLine($"load average {r.LoadAverage}");
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
            ctx.Out.WriteLine($"{x.Candidates:N0} candidates: plain / factorised p50 {F(x.PlainOverFactorised, "F2")}x; plain / factorised with candidates cached {F(x.PlainOverCached, "F2")}x; LightGBM / factorised p50 {F(x.LightGbmOverFactorised, "F2")}x");
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
