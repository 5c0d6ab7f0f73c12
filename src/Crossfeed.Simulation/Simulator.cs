using System.Diagnostics;
using System.Runtime.InteropServices;
using Crossfeed.Core;

namespace Crossfeed.Simulation;

/// <summary>Generates a podcast world and its impression log into a folder.</summary>
public static class Simulator
{
    /// <summary>Mean of the clearing-price factor: an impression costs bid_cpm / 1000 x U(0.55, 1).</summary>
    internal const double MeanClearing = 0.775;

    /// <summary>Rows per random stream: fixed, so results never depend on the number of cores.</summary>
    internal const int ChunkRows = 4096;

    /// <summary>The largest log accepted (a day's rows are indexed by int).</summary>
    public const long MaxImpressions = 2_000_000_000;

    private const int InterceptSample = 200_000;

    /// <summary>
    /// Simulates the world of <paramref name="config"/> and writes impressions.parquet, the world's tables,
    /// world.json and dataset.yaml into <paramref name="outDir"/> (each file written under a temporary name
    /// and renamed). Same config => identical files' row values.
    /// </summary>
    public static SimulationSummary Run(WorldConfig config, string outDir, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return RunCore(config, outDir, null, progress, ct);
    }

    /// <summary>
    /// As <see cref="Run(WorldConfig, string, IProgress{double}?, CancellationToken)"/>, but the log is written as
    /// <paramref name="shards"/> Parquet files of whole days, impressions/part-00000.parquet onwards in time order
    /// (a log too big to handle as one file), and dataset.yaml reads that folder. The rows are those of the single
    /// file for the same config, in the same order; only the files differ.
    /// </summary>
    public static SimulationSummary Run(WorldConfig config, string outDir, int shards, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        // Checked before anything is written; a shard holds whole days, so there are at most Days of them.
        if (shards < 1 || shards > config.Days)
            throw new BadInputException($"shards must lie in [1, {config.Days}] (a shard holds whole days of the {config.Days}-day log; got {shards})");
        return RunCore(config, outDir, shards, progress, ct);
    }

    private static SimulationSummary RunCore(WorldConfig config, string outDir, int? shards, IProgress<double>? progress, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(outDir)) throw new BadInputException("out: give an output folder");
        var clock = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new BadInputException($"{outDir}: cannot create the output folder ({e.Message})", e);
        }

        // The log is never held whole: it is generated three times over, a day or a block of days at a time, each
        // pass the same rows (every random stream is keyed by day and row). The first finds how many rows each source
        // has (budgets decide which rows are ads), the second solves the intercepts on a sample spread over the whole
        // log, the third draws the labels and writes and summarises each block. Memory is the world and one block.
        var world = WorldBuilder.Build(config);
        progress?.Report(0.05);
        var dayStart = DayStarts(config);
        var strides = InterceptStrides(world, dayStart, f => progress?.Report(0.05 + 0.1 * f), ct);
        SolveIntercepts(world, dayStart, strides, f => progress?.Report(0.15 + 0.15 * f), ct);

        // The world's tables are written beside the (much larger) impression log, on another core.
        var tables = Task.Run(() => WorldStore.Save(world, outDir, ct).ToList(), ct);
        var summary = new SummaryBuilder(world);
        IReadOnlyList<string> logFiles;
        try
        {
            logFiles = WriteLog(world, dayStart, summary, outDir, shards, f => progress?.Report(0.30 + 0.67 * f), ct);
        }
        catch
        {
            // Let the table writer finish or fail (and clean up its temporary file) before reporting.
            try
            {
                tables.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
            throw;
        }
        var files = tables.GetAwaiter().GetResult();
        files.AddRange(logFiles);
        progress?.Report(0.97);
        AtomicFile.WriteAllText(Path.Combine(outDir, DatasetYaml.FileName), DatasetYaml.Build(config, shards));
        files.Add(DatasetYaml.FileName);
        var result = summary.Build(outDir, files);
        progress?.Report(1.0);
        return result with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// Generates, writes and summarises the log block by block, as impressions.parquet or as shards in impressions/, then
    /// removes the other layout's log left by an earlier run into the folder (so the folder never holds two logs of
    /// different worlds); returns the log's file names relative to <paramref name="outDir"/>.
    /// </summary>
    private static IReadOnlyList<string> WriteLog(World world, long[] dayStart, SummaryBuilder summary, string outDir, int? shards, Action<double> progress, CancellationToken ct)
    {
        var single = Path.Combine(outDir, ImpressionWriter.FileName);
        var folder = Path.Combine(outDir, ImpressionWriter.ShardFolder);
        var shardDays = ImpressionWriter.ShardDays(dayStart, shards ?? 1);
        using var blocks = new LogBlocks(world, dayStart, shardDays, summary.Add, progress, ct);
        if (shards is null)
        {
            ImpressionWriter.Write(single, world, blocks, ct);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            return [ImpressionWriter.FileName];
        }
        var names = ImpressionWriter.WriteShards(folder, world, blocks, shardDays, ct);
        File.Delete(single);
        return names.Select(name => Path.Combine(ImpressionWriter.ShardFolder, name)).ToList();
    }

    /// <summary>Rows of day d are [result[d], result[d + 1]) of the log.</summary>
    internal static long[] DayStarts(WorldConfig c)
    {
        var counts = DayCounts(c);
        var start = new long[c.Days + 1];
        for (int d = 0; d < c.Days; d++) start[d + 1] = start[d] + counts[d];
        return start;
    }

    /// <summary>Impressions per day: traffic grows slowly and lifts at weekends; split by largest remainder.</summary>
    internal static int[] DayCounts(WorldConfig c)
    {
        var w = new double[c.Days];
        double total = 0;
        for (int d = 0; d < c.Days; d++)
        {
            w[d] = (1 + c.DailyGrowth * d) * (DayOfWeek(c, d) >= 5 ? c.WeekendLift : 1);
            total += w[d];
        }
        var counts = new int[c.Days];
        var rest = new (double Frac, int Day)[c.Days];
        long assigned = 0;
        for (int d = 0; d < c.Days; d++)
        {
            double exact = c.Impressions * w[d] / total;
            counts[d] = (int)Math.Floor(exact);
            assigned += counts[d];
            rest[d] = (exact - counts[d], d);
        }
        Array.Sort(rest, (a, b) => a.Frac != b.Frac ? b.Frac.CompareTo(a.Frac) : a.Day.CompareTo(b.Day));
        for (int i = 0; assigned < c.Impressions; i++, assigned++) counts[rest[i % c.Days].Day]++;
        return counts;
    }

    /// <summary>0 = Monday .. 6 = Sunday.</summary>
    internal static int DayOfWeek(WorldConfig c, int day) => ((int)c.StartDate.DayOfWeek + 6 + day) % 7;

    internal static long DayMicros(WorldConfig c, int day) =>
        (DateTime.SpecifyKind(c.StartDate.Date, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10 + day * 86_400_000_000L;

    /// <summary>
    /// The first pass: generates who, where and what for every day (budgets decide which rows are ads) and returns, per
    /// source, the stride that spreads <see cref="InterceptSample"/> rows over that source's rows of the whole log.
    /// Leaves each campaign's spend in the log in the world's table.
    /// </summary>
    private static int[] InterceptStrides(World world, long[] dayStart, Action<double> progress, CancellationToken ct)
    {
        var slots = world.Coefficients.Slots;
        var total = new long[2];
        var generator = EachDay(world, dayStart, full: false, progress, ct, day =>
        {
            for (int i = 0; i < day.Count; i++) total[(int)slots[day.Slot[i]].Source]++;
        });
        world.Ads.CampaignSpent = generator.Spent;
        return total.Select(n => (int)Math.Max(1, (n + InterceptSample - 1) / InterceptSample)).ToArray();
    }

    /// <summary>
    /// The second pass: solves each (source, outcome) intercept so the mean probability over the log's rows of that
    /// source equals the configured base rate (safeguarded Newton on every <paramref name="strides"/>[source]-th row of
    /// the source, whose logit offsets are the only rows' values kept).
    /// </summary>
    private static void SolveIntercepts(World world, long[] dayStart, int[] strides, Action<double> progress, CancellationToken ct)
    {
        var c = world.Config;
        var slots = world.Coefficients.Slots;
        var sample = new[] { new List<double>[4], new List<double>[4] };
        foreach (var lists in sample)
            for (int t = 0; t < 4; t++) lists[t] = [];
        var seen = new long[2];
        var z = new double[4];
        EachDay(world, dayStart, full: true, progress, ct, day =>
        {
            for (int i = 0; i < day.Count; i++)
            {
                int src = (int)slots[day.Slot[i]].Source;
                if (seen[src]++ % strides[src] != 0) continue;
                world.Offsets(day.User[i], day.Show[i], day.Slot[i], day.Hour[i], day.Session[i], day.Creative[i], day.Listening[i], day.Exposures[i], z);
                for (int t = 0; t < 4; t++) sample[src][t].Add(z[t]);
            }
        });
        double[][] targets =
        [
            [c.PromoStreamRate, c.PromoClickRate, c.PromoLikeRate, c.PromoFollowRate],
            [c.AdStreamRate, c.AdClickRate, c.AdLikeRate, c.AdFollowRate],
        ];
        world.Coefficients.Intercepts = Enumerable.Range(0, 2)
            .Select(src => Enumerable.Range(0, 4).Select(t => SolveIntercept(CollectionsMarshal.AsSpan(sample[src][t]), targets[src][t])).ToArray())
            .ToArray();
    }

    /// <summary>
    /// A pass over the log a day at a time, in one block as large as the busiest day, each day handed to
    /// <paramref name="visit"/> once generated; returns the pass's generator (what the campaigns spent).
    /// </summary>
    private static LogGenerator EachDay(World world, long[] dayStart, bool full, Action<double> progress, CancellationToken ct, Action<ImpressionLog> visit)
    {
        var generator = new LogGenerator(world, dayStart);
        int days = dayStart.Length - 1;
        var day = new ImpressionLog((int)Enumerable.Range(0, days).Max(d => dayStart[d + 1] - dayStart[d]));
        for (int d = 0; d < days; d++)
        {
            ct.ThrowIfCancellationRequested();
            day.Reset(dayStart[d], d);
            generator.AppendDay(day, d, full, ct);
            visit(day);
            progress((d + 1.0) / days);
        }
        return generator;
    }

    internal static double SolveIntercept(ReadOnlySpan<double> z, double target)
    {
        double logit = Math.Log(target / (1 - target));
        if (z.Length == 0) return logit;
        double mean = 0;
        foreach (double v in z) mean += v;
        mean /= z.Length;
        double lo = -60, hi = 60, b = Math.Clamp(logit - mean, lo, hi);
        for (int iter = 0; iter < 200; iter++)
        {
            double f = 0, d = 0;
            foreach (double v in z)
            {
                double p = 1.0 / (1.0 + Math.Exp(-(b + v)));
                f += p;
                d += p * (1 - p);
            }
            f = f / z.Length - target;
            d /= z.Length;
            if (Math.Abs(f) < 1e-12) break;
            if (f > 0) hi = b; else lo = b;
            double next = d > 0 ? b - f / d : double.NaN;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - b) < 1e-13) break;
            b = next;
        }
        return b;
    }

    /// <summary>Whether an outcome is logged for a source on a day (documented in docs/simulator.md).</summary>
    internal static bool Observable(WorldConfig c, Source source, Outcome outcome, int day) => source switch
    {
        Source.Promotion => true,
        _ => outcome switch
        {
            Outcome.Stream or Outcome.Click => true,
            Outcome.Like => false,
            _ => day >= c.EffectiveAdFollowFromDay,
        },
    };
}
