using Crossfeed.Core;

namespace Crossfeed.Data;

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
        Ids = layout.Categorical.Concat(layout.Binned).Select(f => new GrowBuffer<int>(f.Kind == FeatureKind.CategoricalList ? capacity * 4 : capacity)).ToArray();
        Offsets = layout.Categorical.Concat(layout.Binned).Select(f => f.Kind == FeatureKind.CategoricalList ? new GrowBuffer<int>(capacity + 1) : null).ToArray();
        foreach (var o in Offsets) o?.Add(0);
        Dense = layout.Dense.Select(f => new GrowBuffer<float>(capacity * layout.Width(f))).ToArray();
        Piecewise = layout.Piecewise.Select(f => new GrowBuffer<float>(capacity * layout.PiecewiseWidth(f))).ToArray();
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
    public GrowBuffer<float>[] Piecewise { get; }
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
        foreach (var b in Piecewise) b.Clear();
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
            Ids = Map(_layout.Categorical.Concat(_layout.Binned).Select(f => f.Name), Ids.Select(b => b.ToArray())),
            ListOffsets = Map(_layout.Categorical.Where(f => f.Kind == FeatureKind.CategoricalList).Select(f => f.Name),
                Offsets.Where(o => o is not null).Select(o => o!.ToArray())),
            Dense = Map(_layout.Dense.Select(f => f.Name), Dense.Select(b => b.ToArray())),
            Piecewise = Map(_layout.Piecewise.Select(f => f.Name), Piecewise.Select(b => b.ToArray())),
            Labels = Map(_layout.Labels.Select(l => l.Name), Labels.Select(b => b.ToArray())),
            Truth = Map(_layout.Labels.Where(l => l.Truth is not null).Select(l => l.Name), Truth.Where(t => t is not null).Select(t => t!.ToArray())),
            Analysis = Map(_layout.AnalysisNumbers.Select(a => a.Role), Analysis.Select(b => b.ToArray())),
            AnalysisText = Map(_layout.AnalysisTexts.Select(a => a.Role), AnalysisText.Select(b => b.ToArray())),
            Keys = Map(_layout.Keys, Keys.Select(b => b.ToArray())),
            Time = Time?.ToArray(),
        };
        if (split.Time is null) return split;
        var order = TimeOrder(split.Time);
        return order is null ? split : split.Subset(order);
    }

    private static Dictionary<string, T> Map<T>(IEnumerable<string> names, IEnumerable<T> values) =>
        names.Zip(values).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);

    /// <summary>Null when already in order; else the stable permutation that sorts by time.</summary>
    internal static int[]? TimeOrder(ReadOnlySpan<double> time)
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
