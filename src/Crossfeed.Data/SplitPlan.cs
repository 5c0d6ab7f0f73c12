using System.Globalization;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Decides each row's split: by the part's file (pre-split), by half-open ranges on the split column,
/// or by cut points computed from quantile fractions (ties at a cut go to the later split, so equal
/// values never straddle two splits). Timestamps and dates compare as Unix seconds (UTC).
/// </summary>
internal sealed class SplitPlan
{
    private readonly SplitSpec _spec;
    private readonly double[] _lower = new double[3];
    private readonly double[] _upper = new double[3];

    private SplitPlan(SplitSpec spec, IReadOnlyList<double> cuts, IReadOnlyDictionary<SplitName, string> rules)
    {
        _spec = spec;
        CutPoints = cuts;
        Rules = rules;
    }

    public IReadOnlyList<double> CutPoints { get; }
    public IReadOnlyDictionary<SplitName, string> Rules { get; }
    public string? Column => _spec.ByFiles ? null : _spec.Column;

    public static SplitPlan Build(DatasetScan scan, IProgress<LoadProgress>? progress)
    {
        var spec = scan.Config.Split;
        var rules = new Dictionary<SplitName, string>();
        if (spec.ByFiles)
        {
            foreach (var s in Enum.GetValues<SplitName>())
                rules[s] = "file " + string.Join(", ", scan.Parts.Where(p => p.Split == s).Select(p => Path.GetFileName(p.Display)));
            return new SplitPlan(spec, [], rules);
        }
        var col = spec.Column!;
        if (spec.Ranges is { } ranges)
        {
            var plan = new SplitPlan(spec, [], ranges.ToDictionary(kv => kv.Key, kv => $"{col} in [{F(kv.Value.From)}, {F(kv.Value.To)})"));
            foreach (var (s, r) in ranges)
            {
                plan._lower[(int)s] = r.From;
                plan._upper[(int)s] = r.To;
            }
            return plan;
        }
        var fr = spec.Fractions!;
        progress?.Report(new LoadProgress(LoadPhase.Quantiles, scan.InputName, 0));
        double q1 = fr[SplitName.Train], q2 = fr[SplitName.Train] + fr[SplitName.Val];
        var (_, cuts) = scan.SortedAt(col, n => [(long)Math.Floor(n * q1), (long)Math.Floor(n * q2)]);
        rules[SplitName.Train] = $"{col} < {F(cuts[0])}, the first {F(q1)} by {col}";
        rules[SplitName.Val] = $"{col} in [{F(cuts[0])}, {F(cuts[1])}), quantiles {F(q1)} to {F(q2)}";
        rules[SplitName.Test] = $"{col} >= {F(cuts[1])}, quantiles {F(q2)} to 1";
        var p = new SplitPlan(spec, cuts, rules);
        p._lower[0] = double.NegativeInfinity;
        p._upper[0] = cuts[0];
        p._lower[1] = cuts[0];
        p._upper[1] = cuts[1];
        p._lower[2] = cuts[1];
        p._upper[2] = double.PositiveInfinity;
        return p;
    }

    /// <summary>The split index (SplitName as int) of the current row, or -1 when it falls outside every split.</summary>
    public int Assign(RowCursor p, Cell? column)
    {
        if (p.Part.Split is { } s) return (int)s;
        var c = column!;
        if (c.IsNull(p.Reader)) return -1;
        double v = c.FiniteNumber(p.Reader, p);
        for (int i = 0; i < 3; i++)
            if (v >= _lower[i] && v < _upper[i]) return i;
        return -1;
    }

    internal static string F(double v) => double.IsPositiveInfinity(v) ? "inf" : v.ToString("G10", CultureInfo.InvariantCulture);
}
