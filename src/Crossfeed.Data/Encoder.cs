using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>Which arrays an encoded split has, in a fixed order, derived from the config and the preprocessor.</summary>
internal sealed class EncodeLayout
{
    public EncodeLayout(DatasetConfig cfg, Preprocessor pre)
    {
        Config = cfg;
        Preprocessor = pre;
        Categorical = cfg.Features.Where(f => f.IsCategorical).ToArray();
        Dense = cfg.Features.Where(f => !f.IsCategorical).ToArray();
        Labels = cfg.Labels.ToArray();
        var a = cfg.Analysis;
        AnalysisNumbers = a.NumberRoles().ToArray();
        AnalysisTexts = a.TextRoles().ToArray();
        Keys = cfg.Keys.ToArray();
    }

    public DatasetConfig Config { get; }
    public Preprocessor Preprocessor { get; }
    public FeatureSpec[] Categorical { get; }
    public FeatureSpec[] Dense { get; }
    public LabelSpec[] Labels { get; }
    public (string Role, string Column)[] AnalysisNumbers { get; }
    public (string Role, string Column)[] AnalysisTexts { get; }
    public string[] Keys { get; }

    public int Width(FeatureSpec f) => f.Kind == FeatureKind.Vector ? f.Dim : 1;
}

/// <summary>Growing columnar buffers for one split; <see cref="Build"/> trims them into an <see cref="EncodedSplit"/>.</summary>
internal sealed class SplitBuilder
{
    private readonly EncodeLayout _layout;

    /// <param name="capacity">Expected rows; buffers sized to exactly the row count are handed over without a copy.</param>
    public SplitBuilder(EncodeLayout layout, bool withTime, int capacity = 1 << 16)
    {
        _layout = layout;
        capacity = Math.Max(capacity, 1);
        Source = new GrowBuffer<int>(capacity);
        Ids = layout.Categorical.Select(f => new GrowBuffer<int>(f.Kind == FeatureKind.CategoricalList ? capacity * 4 : capacity)).ToArray();
        Offsets = layout.Categorical.Select(f => f.Kind == FeatureKind.CategoricalList ? new GrowBuffer<int>(capacity + 1) : null).ToArray();
        foreach (var o in Offsets) o?.Add(0);
        Dense = layout.Dense.Select(f => new GrowBuffer<float>(capacity * layout.Width(f))).ToArray();
        Labels = layout.Labels.Select(_ => new GrowBuffer<float>(capacity)).ToArray();
        Truth = layout.Labels.Select(l => l.Truth is null ? null : new GrowBuffer<float>(capacity)).ToArray();
        Analysis = layout.AnalysisNumbers.Select(_ => new GrowBuffer<double>(capacity)).ToArray();
        AnalysisText = layout.AnalysisTexts.Select(_ => new GrowBuffer<string?>(capacity)).ToArray();
        Keys = layout.Keys.Select(_ => new GrowBuffer<string?>(capacity)).ToArray();
        Time = withTime ? new GrowBuffer<double>(capacity) : null;
    }

    public int Count { get; set; }
    public GrowBuffer<int> Source { get; }
    public GrowBuffer<int>[] Ids { get; }
    public GrowBuffer<int>?[] Offsets { get; }
    public GrowBuffer<float>[] Dense { get; }
    public GrowBuffer<float>[] Labels { get; }
    public GrowBuffer<float>?[] Truth { get; }
    public GrowBuffer<double>[] Analysis { get; }
    public GrowBuffer<string?>[] AnalysisText { get; }
    public GrowBuffer<string?>[] Keys { get; }
    public GrowBuffer<double>? Time { get; }

    public void Clear()
    {
        Count = 0;
        Source.Clear();
        foreach (var b in Ids) b.Clear();
        foreach (var b in Offsets)
        {
            b?.Clear();
            b?.Add(0);
        }
        foreach (var b in Dense) b.Clear();
        foreach (var b in Labels) b.Clear();
        foreach (var b in Truth) b?.Clear();
        foreach (var b in Analysis) b.Clear();
        foreach (var b in AnalysisText) b.Clear();
        foreach (var b in Keys) b.Clear();
        Time?.Clear();
    }

    /// <summary>The encoded split; with a time column, rows are put in time order (stable: ties keep file order).</summary>
    public EncodedSplit Build(SplitName name)
    {
        var split = new EncodedSplit
        {
            Name = name,
            Count = Count,
            Source = Source.ToArray(),
            Ids = Map(_layout.Categorical.Select(f => f.Name), Ids.Select(b => b.ToArray())),
            ListOffsets = Map(_layout.Categorical.Where(f => f.Kind == FeatureKind.CategoricalList).Select(f => f.Name),
                Offsets.Where(o => o is not null).Select(o => o!.ToArray())),
            Dense = Map(_layout.Dense.Select(f => f.Name), Dense.Select(b => b.ToArray())),
            Labels = Map(_layout.Labels.Select(l => l.Name), Labels.Select(b => b.ToArray())),
            Truth = Map(_layout.Labels.Where(l => l.Truth is not null).Select(l => l.Name), Truth.Where(t => t is not null).Select(t => t!.ToArray())),
            Analysis = Map(_layout.AnalysisNumbers.Select(a => a.Role), Analysis.Select(b => b.ToArray())),
            AnalysisText = Map(_layout.AnalysisTexts.Select(a => a.Role), AnalysisText.Select(b => b.ToArray())),
            Keys = Map(_layout.Keys, Keys.Select(b => b.ToArray())),
        };
        if (Time is null) return split;
        var order = TimeOrder(Time.AsSpan());
        return order is null ? split : split.Subset(order);
    }

    private static Dictionary<string, T> Map<T>(IEnumerable<string> names, IEnumerable<T> values) =>
        names.Zip(values).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);

    /// <summary>Null when already in order; else the stable permutation that sorts by time.</summary>
    private static int[]? TimeOrder(ReadOnlySpan<double> time)
    {
        bool sorted = true;
        for (int i = 1; i < time.Length && sorted; i++) sorted = time[i] >= time[i - 1];
        if (sorted) return null;
        var t = time.ToArray();
        var order = new int[t.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => t[a] != t[b] ? t[a].CompareTo(t[b]) : a.CompareTo(b));
        return order;
    }
}

/// <summary>Encodes the current row of a part into a split builder; bound to the part's column ordinals.</summary>
internal sealed class RowEncoder
{
    private abstract class Op
    {
        public abstract void Run(PartReader p, SplitBuilder b, int source);
    }

    private sealed class CategoricalOp(Cell cell, CategoricalTable table, int index) : Op
    {
        public override void Run(PartReader p, SplitBuilder b, int source) => b.Ids[index].Add(table.IdOf(cell.Category(p.Reader)));
    }

    private sealed class ListOp(Cell cell, CategoricalTable table, int index, int maxLength) : Op
    {
        private readonly List<CategoryValue> _items = [];

        public override void Run(PartReader p, SplitBuilder b, int source)
        {
            cell.ListItems(p.Reader, p, _items);
            int n = Math.Min(maxLength, _items.Count);
            var ids = b.Ids[index].Append(n);
            for (int i = 0; i < n; i++) ids[i] = table.IdOf(_items[i]);
            b.Offsets[index]!.Add(b.Ids[index].Count);
        }
    }

    private sealed class NumericOp(Cell cell, FeatureEncoding enc, int index) : Op
    {
        public override void Run(PartReader p, SplitBuilder b, int source)
        {
            if (cell.IsNull(p.Reader))
            {
                b.Dense[index].Add(0f);
                return;
            }
            double v = cell.FiniteNumber(p.Reader, p);
            double t = Preprocessor.Transform(enc.Transform, v);
            if (!double.IsFinite(t)) throw cell.Error(p, $"transform log1p needs values above -1, got {Cell.Spell(v)}");
            b.Dense[index].Add((float)((t - enc.Mean) / enc.Std));
        }
    }

    private sealed class VectorOp(Cell cell, int index, int dim) : Op
    {
        public override void Run(PartReader p, SplitBuilder b, int source) => cell.Vector(p.Reader, p, b.Dense[index].Append(dim));
    }

    private sealed class LabelOp(Cell? cell, int index, bool[] observable) : Op
    {
        public override void Run(PartReader p, SplitBuilder b, int source)
        {
            float v = cell is null ? float.NaN : cell.Label(p.Reader, p);
            b.Labels[index].Add(observable[source] ? v : float.NaN);
        }
    }

    private sealed class TruthOp(Cell? cell, int index) : Op
    {
        public override void Run(PartReader p, SplitBuilder b, int source)
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
        public override void Run(PartReader p, SplitBuilder b, int source) =>
            b.Analysis[index].Add(cell is null || cell.IsNull(p.Reader) ? double.NaN : cell.FiniteNumber(p.Reader, p));
    }

    private sealed class TextOp(Cell? cell, int index) : Op
    {
        // Low-cardinality text (modality, slot) is interned so 1M rows hold a few strings, not 1M.
        private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);

        public override void Run(PartReader p, SplitBuilder b, int source)
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
        public override void Run(PartReader p, SplitBuilder b, int source) =>
            b.Keys[index].Add(cell.IsNull(p.Reader) ? null : cell.Text(p.Reader));
    }

    private readonly Op[] _ops;
    private readonly Cell _source;
    private readonly Cell? _time;
    private readonly Dictionary<long, int> _sourceByLong = [];
    private readonly Dictionary<string, int> _sourceByText = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _sourceValues;

    public RowEncoder(EncodeLayout layout, PartReader p, bool withTime)
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
                : new ListOp(p.Column(f.Column), table, i, enc.MaxLength));
        }
        for (int i = 0; i < layout.Dense.Length; i++)
        {
            var f = layout.Dense[i];
            ops.Add(f.Kind == FeatureKind.Numeric ? new NumericOp(p.Column(f.Column), pre.Feature(f.Name), i) : new VectorOp(p.Column(f.Column), i, f.Dim));
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
    public void Encode(PartReader p, SplitBuilder b)
    {
        int source = SourceOf(p);
        b.Source.Add(source);
        foreach (var op in _ops) op.Run(p, b, source);
        if (b.Time is { } time)
            time.Add(_time is null || _time.IsNull(p.Reader) ? double.PositiveInfinity : _time.FiniteNumber(p.Reader, p));
        b.Count++;
    }

    private int SourceOf(PartReader p)
    {
        var v = _source.Category(p.Reader);
        if (v.IsNull) throw _source.Error(p, $"the source is empty; expected one of: {string.Join(", ", _sourceValues)}");
        int i;
        if (v.IsLong ? _sourceByLong.TryGetValue(v.Long, out i) : _sourceByText.TryGetValue(v.Text!, out i)) return i;
        throw _source.Error(p, $"unknown source '{Cell.Clip(v.ToString())}'; source.values are: {string.Join(", ", _sourceValues)}");
    }
}
