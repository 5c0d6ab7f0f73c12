using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;
using DuckDB.NET.Data;

namespace Crossfeed.Performance;

/// <summary>
/// Scale (docs/benchmarks.md, "Scale"): for each world size, simulate it (once; kept for the next run), `prepare` its
/// cache (time, rows/s against DuckDB's own scan of the same columns timed in the same run, peak resident memory),
/// the start-up of a training run on the warm cache, training examples/s out of core against the in-memory path on
/// the same rows, and one training epoch out of core as a child process (time and peak resident memory).
/// </summary>
public static partial class ScaleBenchmark
{
    private const int WarmupSteps = 20;

    public static ScaleBenchResult Run(IReadOnlyList<long> sizes, string dir, string configPath, int timedSteps, long inMemoryUpTo, long epochSteps, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timedSteps, WarmupSteps + 10);
        Directory.CreateDirectory(dir);
        var cases = new List<ScaleBenchCase>();
        int batch = 0;
        foreach (var n in sizes)
        {
            log.WriteLine($"scale bench: {n:N0} impressions");
            var world = Path.Combine(dir, $"world-{n}");
            var yaml = Path.Combine(world, "dataset.yaml");
            int shards = n >= 20_000_000 ? (int)Math.Min(50, n / 5_000_000) : 1;
            ChildRun.Result? sim = null;
            if (!File.Exists(yaml))
            {
                var args = new List<string> { "simulate", "--impressions", n.ToString(CultureInfo.InvariantCulture), "--seed", "1", "--out", world };
                if (shards > 1) args.AddRange(["--shards", shards.ToString(CultureInfo.InvariantCulture)]);
                sim = ChildRun.Crossfeed(log, [.. args]);
            }
            var cfg = DatasetConfigLoader.Load(yaml);
            long inputBytes = DatasetLoader.InputFiles(cfg).Sum(f => new FileInfo(f).Length);

            var prep = ChildRun.Crossfeed(log, "prepare", "--data", yaml);
            var opened = EncodedCache.TryOpen(cfg, out var why) ?? throw new RunFailedException($"prepare left no current cache: {why}");
            long rows = opened.Report.RowsRead;
            long cacheBytes = EncodedCache.SizeOnDisk(opened.Dir);
            var duck = DuckDbScanSeconds(cfg);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  prepare {prep.Seconds:F1} s ({rows / prep.Seconds:N0} rows/s, peak {prep.PeakBytes / 1048576.0:N0} MiB); DuckDB scan of the same columns {duck:F1} s ({rows / duck:N0} rows/s)"));

            var model = ModelConfigLoader.Load(configPath, cfg);
            batch = model.Training.BatchSize;
            double? parquetLoad = null, cacheLoad = null, inMemory = null;
            if (n <= inMemoryUpTo)
            {
                // Today's path, for the start-up comparison: read and encode the Parquet input in memory.
                var clock = Stopwatch.StartNew();
                LoadFromParquet(cfg);
                parquetLoad = clock.Elapsed.TotalSeconds;
                Collect();
                clock.Restart();
                var fromCache = EncodedCache.TryLoad(cfg, out why) ?? throw new RunFailedException($"the cache did not load: {why}");
                cacheLoad = clock.Elapsed.TotalSeconds;
                inMemory = ExamplesPerSecond(batch, timedSteps, options => Trainer.Fit(model, cfg, fromCache.Train, fromCache.Val, fromCache.Preprocessor, options)).Rate;
                fromCache = null;
                Collect();
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load from Parquet {parquetLoad:F1} s; the cache into memory {cacheLoad:F1} s; in-memory training {inMemory:N0} examples/s"));
            }

            // A second training run on the warm cache: from opening the cache to the end of the first step.
            var start = Stopwatch.StartNew();
            var warm = EncodedCache.TryOpen(cfg, out why) ?? throw new RunFailedException($"the cache did not open: {why}");
            using var train = warm.Split(SplitName.Train);
            using var val = warm.Split(SplitName.Val);
            var (outOfCore, firstStep) = ExamplesPerSecond(batch, timedSteps, options => Trainer.Fit(model, cfg, train, val, warm.Preprocessor, options), start);
            long stepsPerEpoch = OutOfCoreSampler.Create(model, cfg, train, model.Training.Seed).StepsPerEpoch(model.Training);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm start {firstStep:F2} s to the first step; out-of-core training {outOfCore:N0} examples/s"));

            // One epoch out of core in its own process, for its peak resident memory.
            long steps = epochSteps > 0 ? Math.Min(epochSteps, stepsPerEpoch) : stepsPerEpoch;
            var epochConfig = Path.Combine(dir, $"epoch-{n}.yaml");
            AtomicFile.WriteAllText(epochConfig, OneEpoch(File.ReadAllText(configPath), epochSteps));
            var bundle = Path.Combine(dir, $"bundle-{n}");
            var epoch = ChildRun.Crossfeed(log, "train", "--config", epochConfig, "--data", yaml, "--out", bundle, "--out-of-core");
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one epoch out of core ({steps:N0} steps): {epoch.Seconds:F0} s, peak {epoch.PeakBytes / 1048576.0:N0} MiB"));

            cases.Add(new ScaleBenchCase(n, shards, sim?.Seconds, sim?.PeakBytes, inputBytes, prep.Seconds, rows / prep.Seconds, prep.PeakBytes, cacheBytes,
                duck, rows / duck, parquetLoad, cacheLoad, firstStep, outOfCore, inMemory, timedSteps, steps, epoch.Seconds, epoch.PeakBytes));
        }
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        return new ScaleBenchResult(configPath, batch, Environment.ProcessorCount, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, load, cases);
    }

    /// <summary>The model YAML with one epoch (and at most <paramref name="steps"/> steps when positive).</summary>
    internal static string OneEpoch(string yaml, long steps)
    {
        if (!EpochsLine().IsMatch(yaml)) throw new BadInputException("the model config has no `epochs:` line under training");
        var extra = steps > 0 ? $"\n$1max_steps_per_epoch: {steps}" : "";
        return EpochsLine().Replace(yaml, "$1epochs: 1" + extra, 1);
    }

    [GeneratedRegex(@"^([ \t]+)epochs:[ \t]*\d+", RegexOptions.Multiline)]
    private static partial Regex EpochsLine();

    /// <summary>Examples per second over the steps after the warm-up (block reads included), and the seconds from <paramref name="since"/> to the end of the first step.</summary>
    private static (double Rate, double FirstStep) ExamplesPerSecond(int batch, int steps, Func<TrainOptions, TrainedModel> fit, Stopwatch? since = null)
    {
        var clock = since ?? Stopwatch.StartNew();
        var stamps = new List<double>(steps);
        using (fit(new TrainOptions(StopAfterSteps: steps, AfterStep: (_, _) => stamps.Add(clock.Elapsed.TotalSeconds))))
        {
        }
        double timed = stamps[^1] - stamps[WarmupSteps - 1];
        return (batch * (stamps.Count - WarmupSteps) / timed, stamps[0]);
    }

    /// <summary>Seconds DuckDB takes to read every value of the columns `prepare` reads (a hash of each, summed), from the same files.</summary>
    private static double DuckDbScanSeconds(DatasetConfig cfg)
    {
        var files = DatasetLoader.InputFiles(cfg);
        if (files.Count == 0) throw new BadInputException($"{cfg.ConfigPath}: the scale bench needs Parquet input files");
        static string Quote(string s, char q) => q + s.Replace(q.ToString(), new string(q, 2), StringComparison.Ordinal) + q;
        var columns = DatasetLoader.InputColumns(cfg).Select(c => $"sum(hash({Quote(c, '"')}))");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), {string.Join(", ", columns)} FROM read_parquet([{string.Join(", ", files.Select(f => Quote(f, '\'')))}])";
        var clock = Stopwatch.StartNew();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
            }
        return clock.Elapsed.TotalSeconds;
    }

    private static void LoadFromParquet(DatasetConfig cfg) => GC.KeepAlive(DatasetLoader.Load(cfg));

    private static void Collect()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
