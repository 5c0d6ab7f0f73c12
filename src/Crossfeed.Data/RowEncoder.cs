using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>Encodes the current row of a part into a split builder; bound to the part's column ordinals.</summary>
internal sealed class RowEncoder
{
    private abstract class Op
    {
        public abstract void Run(RowCursor p, SplitBuilder b, int source);
    }

    private sealed class CategoricalOp(Cell cell, CategoricalTable table, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) => b.Ids[index].Add(table.IdOf(cell.Category(p.Reader)));
    }

    private sealed class ListOp(Cell cell, CategoricalTable table, int index, FeatureEncoding encoding) : Op
    {
        private readonly List<CategoryValue> _items = [];

        public override void Run(RowCursor p, SplitBuilder b, int source)
        {
            cell.ListItems(p.Reader, p, _items);
            int n = EncodingRules.ListLength(encoding, _items.Count);
            var ids = b.Ids[index].Append(n);
            for (int i = 0; i < n; i++) ids[i] = table.IdOf(_items[i]);
            b.Offsets[index]!.Add(b.Ids[index].Count);
        }
    }

    private sealed class NumericOp(Cell cell, FeatureEncoding enc, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) =>
            b.Dense[index].Add(Transformed(cell, p, enc) is { } t ? EncodingRules.Standardized(enc, t) : EncodingRules.MissingNumeric);
    }

    private sealed class BucketOp(Cell cell, FeatureEncoding enc, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) => b.Ids[index].Add(enc.BucketId(Transformed(cell, p, enc)));
    }

    private sealed class PiecewiseOp(Cell cell, FeatureEncoding enc, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) => enc.Piecewise(Transformed(cell, p, enc), b.Piecewise[index].Append(enc.PiecewiseWidth));
    }

    /// <summary>transform(x) of a numeric cell, validated; null for a null cell.</summary>
    private static double? Transformed(Cell cell, RowCursor p, FeatureEncoding enc)
    {
        if (cell.IsNull(p.Reader)) return null;
        double v = cell.FiniteNumber(p.Reader, p);
        double t = EncodingRules.Transformed(enc, v);
        if (!double.IsFinite(t)) throw cell.Error(p, EncodingRules.NumericProblem(v));
        return t;
    }

    private sealed class VectorOp(Cell cell, int index, int dim) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) => cell.Vector(p.Reader, p, b.Dense[index].Append(dim));
    }

    private sealed class LabelOp(Cell? cell, int index, bool[] observable) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source)
        {
            float v = cell is null ? float.NaN : cell.Label(p.Reader, p);
            b.Labels[index].Add(observable[source] ? v : float.NaN);
        }
    }

    private sealed class TruthOp(Cell? cell, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source)
        {
            if (cell is null || cell.IsNull(p.Reader))
            {
                b.Truth[index]!.Add(float.NaN);
                return;
            }
            double v = cell.FiniteNumber(p.Reader, p);
            if (v < 0 || v > 1) throw cell.Error(p, $"a ground-truth probability must be in [0, 1], got {Cell.Spell(v)}");
            b.Truth[index]!.Add((float)v);
        }
    }

    private sealed class AnalysisOp(Cell? cell, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) =>
            b.Analysis[index].Add(cell is null || cell.IsNull(p.Reader) ? double.NaN : cell.FiniteNumber(p.Reader, p));
    }

    private sealed class TextOp(Cell? cell, int index) : Op
    {
        // Low-cardinality text (modality, slot) is interned so 1M rows hold a few strings, not 1M.
        private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);

        public override void Run(RowCursor p, SplitBuilder b, int source)
        {
            if (cell is null || cell.IsNull(p.Reader))
            {
                b.AnalysisText[index].Add(null);
                return;
            }
            var s = cell.Text(p.Reader);
            if (_interned.Count < 4096)
            {
                if (!_interned.TryGetValue(s, out var shared)) _interned[s] = shared = s;
                s = shared;
            }
            b.AnalysisText[index].Add(s);
        }
    }

    private sealed class KeyOp(Cell cell, int index) : Op
    {
        public override void Run(RowCursor p, SplitBuilder b, int source) =>
            b.Keys[index].Add(cell.IsNull(p.Reader) ? null : cell.Text(p.Reader));
    }

    private readonly Op[] _ops;
    private readonly Cell _source;
    private readonly Cell? _time;
    private readonly Dictionary<long, int> _sourceByLong = [];
    private readonly Dictionary<string, int> _sourceByText = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _sourceValues;

    public RowEncoder(EncodeLayout layout, RowCursor p, bool withTime)
    {
        var cfg = layout.Config;
        var pre = layout.Preprocessor;
        _source = p.Column(cfg.Source.Column);
        _sourceValues = cfg.Source.Values;
        for (int i = 0; i < _sourceValues.Count; i++)
        {
            var v = CategoryValue.Of(_sourceValues[i]);
            if (v.IsLong) _sourceByLong[v.Long] = i;
            else _sourceByText[v.Text!] = i;
        }
        _time = withTime && cfg.TimeColumn is { } tc ? p.Column(tc) : null;
        var ops = new List<Op>();
        for (int i = 0; i < layout.Categorical.Length; i++)
        {
            var f = layout.Categorical[i];
            var table = pre.TableOf(f.Name);
            var enc = pre.Feature(f.Name);
            ops.Add(f.Kind == FeatureKind.Categorical
                ? new CategoricalOp(p.Column(f.Column), table, i)
                : new ListOp(p.Column(f.Column), table, i, enc));
        }
        for (int i = 0; i < layout.Dense.Length; i++)
        {
            var f = layout.Dense[i];
            ops.Add(f.Kind == FeatureKind.Numeric ? new NumericOp(p.Column(f.Column), pre.Feature(f.Name), i) : new VectorOp(p.Column(f.Column), i, f.Dim));
        }
        for (int i = 0; i < layout.Binned.Length; i++)
        {
            var f = layout.Binned[i];
            ops.Add(new BucketOp(p.Column(f.Column), pre.Feature(f.Name), layout.Categorical.Length + i));
        }
        for (int i = 0; i < layout.Piecewise.Length; i++)
        {
            var f = layout.Piecewise[i];
            ops.Add(new PiecewiseOp(p.Column(f.Column), pre.Feature(f.Name), i));
        }
        for (int i = 0; i < layout.Labels.Length; i++)
        {
            var l = layout.Labels[i];
            var observable = cfg.Source.Values.Select(l.Sources.Contains).ToArray();
            ops.Add(new LabelOp(p.OptColumn(l.Column), i, observable));
            if (l.Truth is { } t) ops.Add(new TruthOp(p.OptColumn(t), i));
        }
        for (int i = 0; i < layout.AnalysisNumbers.Length; i++) ops.Add(new AnalysisOp(p.OptColumn(layout.AnalysisNumbers[i].Column), i));
        for (int i = 0; i < layout.AnalysisTexts.Length; i++) ops.Add(new TextOp(p.OptColumn(layout.AnalysisTexts[i].Column), i));
        for (int i = 0; i < layout.Keys.Length; i++) ops.Add(new KeyOp(p.Column(layout.Keys[i]), i));
        _ops = ops.ToArray();
    }

    /// <summary>Columns a part must be read with to encode rows.</summary>
    public static List<string> Columns(EncodeLayout layout, string? splitColumn, bool withTime, Func<string, bool> present)
    {
        var cfg = layout.Config;
        var cols = new List<string> { cfg.Source.Column };
        if (splitColumn is not null) cols.Add(splitColumn);
        if (withTime && cfg.TimeColumn is { } tc) cols.Add(tc);
        cols.AddRange(cfg.Keys);
        cols.AddRange(cfg.Features.Select(f => f.Column));
        foreach (var l in cfg.Labels)
        {
            cols.Add(l.Column);
            if (l.Truth is { } t) cols.Add(t);
        }
        cols.AddRange(cfg.Analysis.Columns());
        return cols.Where(present).Distinct().ToList();
    }

    /// <summary>Encodes the current row into b (validating every value as it goes).</summary>
    public void Encode(RowCursor p, SplitBuilder b)
    {
        int source = SourceOf(p);
        b.Source.Add(source);
        foreach (var op in _ops) op.Run(p, b, source);
        if (b.Time is { } time)
            time.Add(_time is null || _time.IsNull(p.Reader) ? double.PositiveInfinity : _time.FiniteNumber(p.Reader, p));
        b.Count++;
    }

    private int SourceOf(RowCursor p)
    {
        var v = _source.Category(p.Reader);
        if (v.IsNull) throw _source.Error(p, $"the source is empty; expected one of: {string.Join(", ", _sourceValues)}");
        int i;
        if (v.IsLong ? _sourceByLong.TryGetValue(v.Long, out i) : _sourceByText.TryGetValue(v.Text!, out i)) return i;
        throw _source.Error(p, $"unknown source '{Cell.Clip(v.ToString())}'; source.values are: {string.Join(", ", _sourceValues)}");
    }
}
