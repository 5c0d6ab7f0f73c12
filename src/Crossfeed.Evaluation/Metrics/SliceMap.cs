namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// Slices of a metric's rows: slice 0 is every row; then one slice per tier present; then less-streamed
/// shows (30-day streams under the dataset's analysis.less_streamed_below) and the rest. A row is in at
/// most three slices.
/// </summary>
public sealed class SliceMap
{
    private SliceMap(string[] names, int[] tierSlice, int[] streamSlice, int[] tiers, int lessSlice)
    {
        Names = names;
        TierSlice = tierSlice;
        StreamSlice = streamSlice;
        Tiers = tiers;
        LessSlice = lessSlice;
    }

    /// <summary>"all", "tier:0".., "less_streamed", "rest".</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Per row: its tier slice, or -1.</summary>
    public int[] TierSlice { get; }

    /// <summary>Per row: the less-streamed or rest slice, or -1 (unknown streams).</summary>
    public int[] StreamSlice { get; }

    /// <summary>Tiers present, in slice order (slice 1 + i is Tiers[i]).</summary>
    public IReadOnlyList<int> Tiers { get; }

    /// <summary>Index of the less-streamed slice (the rest is the next one), or -1 without streams data.</summary>
    public int LessSlice { get; }

    /// <summary>True when row i is in slice s.</summary>
    public bool Contains(int s, int i) => s == 0 || TierSlice[i] == s || StreamSlice[i] == s;

    /// <summary>Only the "all" slice.</summary>
    public static SliceMap AllOnly(int rows) => Build(rows, null, null, double.PositiveInfinity);

    /// <summary>
    /// Slices of n rows from per-row tier (integral, NaN when unknown) and 30-day streams (NaN when unknown;
    /// below <paramref name="lessStreamedBelow"/> is less streamed); null: no such column.
    /// </summary>
    public static SliceMap Build(int n, double[]? tier, double[]? streams30d, double lessStreamedBelow)
    {
        if ((tier is not null && tier.Length != n) || (streams30d is not null && streams30d.Length != n))
            throw new ArgumentException($"tier and streams need {n} values");
        var names = new List<string> { "all" };
        var tiers = tier is null ? [] : tier.Where(t => !double.IsNaN(t)).Select(t => (int)Math.Round(t)).Distinct().Order().ToArray();
        var tierIndex = new Dictionary<int, int>();
        foreach (var t in tiers)
        {
            tierIndex[t] = names.Count;
            names.Add($"tier:{t}");
        }
        int less = -1;
        if (streams30d is not null && streams30d.Any(s => !double.IsNaN(s)))
        {
            less = names.Count;
            names.Add("less_streamed");
            names.Add("rest");
        }
        var tierSlice = new int[n];
        var streamSlice = new int[n];
        for (int i = 0; i < n; i++)
        {
            tierSlice[i] = tier is not null && !double.IsNaN(tier[i]) ? tierIndex[(int)Math.Round(tier[i])] : -1;
            streamSlice[i] = less >= 0 && !double.IsNaN(streams30d![i]) ? (streams30d[i] < lessStreamedBelow ? less : less + 1) : -1;
        }
        return new SliceMap(names.ToArray(), tierSlice, streamSlice, tiers, less);
    }
}
