using System.Diagnostics;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Reads a dataset config's input and returns encoded splits. Two streaming passes: the first fits the
/// <see cref="Preprocessor"/> on the training rows, the second validates and encodes every row into
/// columnar arrays. Bad input stops with a <see cref="BadInputException"/> naming file, column and row.
/// </summary>
public static class DatasetLoader
{
    private const int ProgressEvery = 1 << 16;

    public static EncodedDataset Load(DatasetConfig cfg, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        using var scan = DatasetScan.Open(cfg, InputReader.Resolve(cfg), Roles.Of(cfg, forScoring: false), progress, ct);
        var plan = SplitPlan.Build(scan, progress);
        var (pre, rows) = Fitter.Fit(scan, plan, progress, ct);
        var layout = new EncodeLayout(cfg, pre);
        bool withTime = cfg.TimeColumn is not null;
        var builders = Enum.GetValues<SplitName>()
            .Select(s => new SplitBuilder(layout, withTime, rows[(int)s] > 0 ? (int)Math.Min(rows[(int)s], Array.MaxLength - 1) : ProgressEvery)).ToArray();
        var (read, dropped) = EncodeSplits(scan, plan, layout, builders, null, withTime, progress, ct);
        foreach (var s in Enum.GetValues<SplitName>())
            if (builders[(int)s].Count == 0) throw EmptySplit(scan, plan, s);
        var splits = Enum.GetValues<SplitName>().Select(s => builders[(int)s].Build(s)).ToArray();
        var report = new LoadReport(read, dropped, splits[0].Count, splits[1].Count, splits[2].Count, plan.CutPoints, plan.Rules, sw.Elapsed);
        return new EncodedDataset(cfg, pre, splits[0], splits[1], splits[2], report);
    }

    /// <summary>
    /// Like <see cref="Load"/>, but each split is handed to <paramref name="chunk"/> in chunks of
    /// <paramref name="chunkRows"/> rows as it is encoded (each chunk in time order when the config has a time
    /// column, and carrying the rows' times), so memory holds the preprocessor and one chunk per split whatever
    /// the dataset's size. <paramref name="fitted"/> is called once the preprocessor is fitted, before any chunk.
    /// </summary>
    public static LoadReport EncodeInChunks(DatasetConfig cfg, Action<Preprocessor> fitted, Action<SplitName, EncodedSplit> chunk, int chunkRows = ProgressEvery,
                                            IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        var sw = Stopwatch.StartNew();
        using var scan = DatasetScan.Open(cfg, InputReader.Resolve(cfg), Roles.Of(cfg, forScoring: false), progress, ct);
        var plan = SplitPlan.Build(scan, progress);
        var (pre, _) = Fitter.Fit(scan, plan, progress, ct);
        fitted(pre);
        var layout = new EncodeLayout(cfg, pre);
        bool withTime = cfg.TimeColumn is not null;
        var builders = Enum.GetValues<SplitName>().Select(_ => new SplitBuilder(layout, withTime, chunkRows)).ToArray();
        var counts = new long[3];
        void Flush(int s)
        {
            counts[s] += builders[s].Count;
            chunk((SplitName)s, builders[s].Build((SplitName)s));
            builders[s].Clear();
        }
        var (read, dropped) = EncodeSplits(scan, plan, layout, builders, null, withTime, progress, ct, s => { if (builders[s].Count >= chunkRows) Flush(s); });
        foreach (var s in Enum.GetValues<SplitName>())
        {
            if (builders[(int)s].Count > 0) Flush((int)s);
            if (counts[(int)s] == 0) throw EmptySplit(scan, plan, s);
            if (counts[(int)s] >= int.MaxValue) throw new BadInputException($"split '{s.ToString().ToLowerInvariant()}' has {counts[(int)s]:N0} rows; one split holds at most {int.MaxValue - 1:N0}");
        }
        return new LoadReport(read, dropped, (int)counts[0], (int)counts[1], (int)counts[2], plan.CutPoints, plan.Rules, sw.Elapsed);
    }

    /// <summary>Every input column the dataset config reads to load and split it (what `prepare` scans).</summary>
    public static IReadOnlyList<string> InputColumns(DatasetConfig cfg) => Roles.Of(cfg, forScoring: false).Select(r => r.Column).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The input files of the dataset config (a query input has none).</summary>
    public static IReadOnlyList<string> InputFiles(DatasetConfig cfg) => InputReader.Resolve(cfg).Select(r => r.Display).Where(File.Exists).ToList();

    /// <summary>Encodes one split of the dataset with an already fitted preprocessor (e.g. a bundle's), in time order when the config has a time column.</summary>
    public static EncodedSplit Encode(DatasetConfig cfg, Preprocessor pre, SplitName split, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        pre.CheckCompatible(cfg);
        using var scan = DatasetScan.Open(cfg, InputReader.Resolve(cfg), Roles.Of(cfg, forScoring: false), progress, ct);
        var plan = SplitPlan.Build(scan, progress);
        var layout = new EncodeLayout(cfg, pre);
        bool withTime = cfg.TimeColumn is not null;
        var builders = Enum.GetValues<SplitName>().Select(_ => new SplitBuilder(layout, withTime, 1024)).ToArray();
        EncodeSplits(scan, plan, layout, builders, split, withTime, progress, ct);
        if (builders[(int)split].Count == 0) throw EmptySplit(scan, plan, split);
        return builders[(int)split].Build(split);
    }

    /// <summary>
    /// Encodes every row of a file, folder or glob laid out like the dataset (e.g. new impressions to
    /// score), in file order. Labels, truth and analysis columns may be absent (NaN / null then); source,
    /// keys and features are required. The split is named Test.
    /// </summary>
    public static EncodedSplit Encode(DatasetConfig cfg, Preprocessor pre, string path, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        EncodedSplit? all = null;
        foreach (var batch in EncodeBatches(cfg, pre, path, int.MaxValue, progress, ct)) all = batch;
        return all!;
    }

    /// <summary>Like <see cref="Encode(DatasetConfig, Preprocessor, string, IProgress{LoadProgress}?, CancellationToken)"/>, streamed in batches of at most batchRows rows (the last one may be empty only when the input has no rows).</summary>
    public static IEnumerable<EncodedSplit> EncodeBatches(DatasetConfig cfg, Preprocessor pre, string path, int batchRows = ProgressEvery, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        pre.CheckCompatible(cfg);
        var parts = InputReader.ResolveForScoring(path, cfg.Input);
        var roles = Roles.Of(cfg, forScoring: true);
        using var scan = DatasetScan.Open(cfg, parts, roles, progress, ct);
        var layout = new EncodeLayout(cfg, pre);
        var builder = new SplitBuilder(layout, withTime: false, Math.Min(batchRows, ProgressEvery));
        var required = roles.Where(r => !r.Optional).Select(r => r.Column).ToHashSet(StringComparer.Ordinal);
        var columns = RowEncoder.Columns(layout, null, false, c => required.Contains(c) || scan.Present.Contains(c));
        bool any = false;
        foreach (var part in scan.Parts)
        {
            using var p = scan.Read(part, columns);
            var enc = new RowEncoder(layout, p, withTime: false);
            while (p.Next())
            {
                Tick(p, LoadPhase.Encode, progress, ct);
                enc.Encode(p, builder);
                if (builder.Count >= batchRows)
                {
                    any = true;
                    yield return builder.Build(SplitName.Test);
                    builder.Clear();
                }
            }
            progress?.Report(new LoadProgress(LoadPhase.Encode, part.Display, p.Row));
        }
        if (builder.Count > 0 || !any) yield return builder.Build(SplitName.Test);
    }

    private static (long Read, long Dropped) EncodeSplits(DatasetScan scan, SplitPlan plan, EncodeLayout layout, SplitBuilder[] builders, SplitName? only, bool withTime,
                                                          IProgress<LoadProgress>? progress, CancellationToken ct, Action<int>? encoded = null)
    {
        var columns = RowEncoder.Columns(layout, plan.Column, withTime, _ => true);
        long read = 0, dropped = 0;
        foreach (var part in scan.Parts)
        {
            if (only is { } o && part.Split is { } ps && ps != o) continue;
            using var p = scan.Read(part, columns);
            var splitCell = plan.Column is { } c ? p.Column(c) : null;
            var enc = new RowEncoder(layout, p, withTime);
            while (p.Next())
            {
                Tick(p, LoadPhase.Encode, progress, ct);
                int s = plan.Assign(p, splitCell);
                if (s < 0)
                {
                    dropped++;
                    continue;
                }
                if (only is { } o2 && s != (int)o2) continue;
                enc.Encode(p, builders[s]);
                encoded?.Invoke(s);
            }
            read += p.Row;
            progress?.Report(new LoadProgress(LoadPhase.Encode, part.Display, p.Row));
        }
        return (read, dropped);
    }

    private static void Tick(RowCursor p, LoadPhase phase, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        if ((p.Row & 0xFFF) != 0) return;
        ct.ThrowIfCancellationRequested();
        if ((p.Row & (ProgressEvery - 1)) == 0) progress?.Report(new LoadProgress(phase, p.File, p.Row));
    }

    private static BadInputException EmptySplit(DatasetScan scan, SplitPlan plan, SplitName s)
    {
        var name = s.ToString().ToLowerInvariant();
        var file = plan.Column is null ? scan.Parts.FirstOrDefault(p => p.Split == s)?.Display ?? scan.InputName : scan.InputName;
        return BadInputException.At(file, plan.Column, null, $"split '{name}' has no rows ({plan.Rules[s]})");
    }
}
