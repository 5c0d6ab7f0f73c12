using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>The estimator: one streaming pass over the training rows.</summary>
internal static class Fitter
{
    private abstract class FitOp
    {
        public abstract void Add(RowCursor p);
    }

    private sealed class CountOp(Cell cell, CategoryCounter counter) : FitOp
    {
        public override void Add(RowCursor p) => counter.Add(cell.Category(p.Reader));
    }

    private sealed class ListCountOp(Cell cell, CategoryCounter counter, int maxLength) : FitOp
    {
        private readonly List<CategoryValue> _items = [];

        public override void Add(RowCursor p)
        {
            cell.ListItems(p.Reader, p, _items);
            int n = Math.Min(maxLength, _items.Count);
            for (int i = 0; i < n; i++) counter.Add(_items[i]);
        }
    }

    /// <summary>What one numeric feature's training rows give: mean and std, and for binned encodings every value (for the quantile edges) and whether any was null.</summary>
    private sealed class NumericFit(FeatureSpec f)
    {
        public RunningStats Stats { get; } = new();
        public List<double>? Values { get; } = f.IsBinned ? [] : null;
        public bool HasNulls { get; set; }
    }

    private sealed class StatsOp(Cell cell, NumericFit fit, NumericTransform transform) : FitOp
    {
        public override void Add(RowCursor p)
        {
            if (cell.IsNull(p.Reader))
            {
                fit.HasNulls = true;
                return;
            }
            double v = cell.FiniteNumber(p.Reader, p);
            double t = Preprocessor.Transform(transform, v);
            if (!double.IsFinite(t)) throw cell.Error(p, $"transform log1p needs values above -1, got {Cell.Spell(v)}");
            fit.Stats.Add(t);
            fit.Values?.Add(t);
        }
    }

    /// <summary>Fits on the training rows. Also counts the rows of every split it passes over (-1 where it skipped a pre-split file), so the encoder can size its buffers exactly.</summary>
    public static (Preprocessor Preprocessor, long[] SplitRows) Fit(DatasetScan scan, SplitPlan plan, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        var cfg = scan.Config;
        var counters = new Dictionary<string, CategoryCounter>(StringComparer.Ordinal);
        var stats = new Dictionary<string, NumericFit>(StringComparer.Ordinal);
        foreach (var f in cfg.Features)
        {
            if (f.IsCategorical && f.ShareTable is null) counters[f.Name] = new CategoryCounter();
            if (f.Kind == FeatureKind.Numeric) stats[f.Name] = new NumericFit(f);
        }
        var counted = cfg.Features.Where(f => f.IsCategorical && OwnerOf(cfg, f).HashBuckets == 0).ToList();
        var numeric = cfg.Features.Where(f => f.Kind == FeatureKind.Numeric).ToList();
        var columns = new List<string>();
        if (plan.Column is { } sc) columns.Add(sc);
        columns.AddRange(counted.Select(f => f.Column));
        columns.AddRange(numeric.Select(f => f.Column));
        columns = columns.Distinct().ToList();

        var splitRows = new long[3];
        foreach (var part in scan.Parts)
        {
            if (part.Split is { } s && s != SplitName.Train)
            {
                splitRows[(int)s] = -1;
                continue;
            }
            using var p = scan.Read(part, columns);
            var splitCell = plan.Column is { } col ? p.Column(col) : null;
            var ops = new List<FitOp>();
            foreach (var f in counted)
            {
                var counter = counters[OwnerOf(cfg, f).Name];
                ops.Add(f.Kind == FeatureKind.Categorical ? new CountOp(p.Column(f.Column), counter) : new ListCountOp(p.Column(f.Column), counter, f.MaxLength));
            }
            foreach (var f in numeric) ops.Add(new StatsOp(p.Column(f.Column), stats[f.Name], f.Transform));
            var opArray = ops.ToArray();
            while (p.Next())
            {
                if ((p.Row & 0xFFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    if ((p.Row & 0xFFFF) == 0) progress?.Report(new LoadProgress(LoadPhase.Fit, part.Display, p.Row));
                }
                int split = plan.Assign(p, splitCell);
                if (split < 0) continue;
                if (splitRows[split] >= 0) splitRows[split]++;
                if (split != 0) continue;
                foreach (var op in opArray) op.Add(p);
            }
            progress?.Report(new LoadProgress(LoadPhase.Fit, part.Display, p.Row));
        }
        if (splitRows[0] == 0)
            throw BadInputException.At(scan.InputName, plan.Column, null, $"split 'train' has no rows ({plan.Rules[SplitName.Train]})");

        var tables = new List<CategoricalTable>();
        foreach (var f in cfg.Features.Where(f => f.IsCategorical && f.ShareTable is null))
        {
            var users = cfg.Features.Where(u => u.IsCategorical && (u.Name == f.Name || u.ShareTable == f.Name)).Select(u => u.Name).ToList();
            var vocab = f.HashBuckets > 0 ? [] : counters[f.Name].Vocabulary(f.MinCount);
            tables.Add(new CategoricalTable(f.Name, users, f.MinCount, f.OovBuckets, f.HashBuckets, vocab));
        }
        var encodings = cfg.Features.Select(f => Encoding(cfg, f, stats.GetValueOrDefault(f.Name), scan.InputName)).ToList();
        return (new Preprocessor(cfg.Name, cfg.Source.Values, encodings, tables), splitRows);
    }

    private static FeatureEncoding Encoding(DatasetConfig cfg, FeatureSpec f, NumericFit? fit, string input)
    {
        double[]? edges = null;
        if (fit?.Values is { } values)
        {
            if (values.Count == 0) throw BadInputException.At(input, f.Column, null, $"feature '{f.Name}': encoding {Snake(f.Encoding)} needs values on train, the column is empty there");
            var sorted = values.ToArray();
            Array.Sort(sorted);
            edges = NumericBins.Edges(sorted, f.Bins);
        }
        return new FeatureEncoding(
            f.Name, f.Kind, f.Column,
            f.IsCategorical ? OwnerOf(cfg, f).Name : null,
            f.Kind == FeatureKind.CategoricalList ? f.MaxLength : 0,
            f.Transform,
            fit?.Stats.Mean ?? 0,
            fit?.Stats.Std ?? 1,
            fit?.Stats.Count ?? 0,
            f.Kind == FeatureKind.Vector ? f.Dim : f.Kind == FeatureKind.Numeric ? 1 : 0,
            f.Kind == FeatureKind.Numeric ? f.Encoding : NumericEncoding.Standardize,
            edges,
            f.IsBinned && fit!.HasNulls);
    }

    private static string Snake(NumericEncoding e) => e == NumericEncoding.QuantileBins ? "quantile_bins" : "piecewise_linear";

    /// <summary>The feature whose table (and vocabulary policy) a categorical feature uses.</summary>
    public static FeatureSpec OwnerOf(DatasetConfig cfg, FeatureSpec f) =>
        f.ShareTable is { } owner ? cfg.Feature(owner)! : f;
}
