using System.Globalization;
using Crossfeed.Core.Metrics;
using ScottPlot;

namespace Crossfeed.Evaluation.Reports;

/// <summary>PNG plots for report.html (ScottPlot). Each returns null when there is nothing to draw.</summary>
internal static class ReportPlots
{
    public const int Width = 640;
    public const int Height = 400;

    /// <summary>More points than this add nothing visible at 640 px and slow rendering down.</summary>
    private const int MaxCurvePoints = 2000;

    private static readonly Color ModelColor = Color.FromHex("#1f77b4");
    private static readonly Color OracleColor = Color.FromHex("#ff7f0e");
    private static readonly Color BeforeColor = Color.FromHex("#d62728");
    private static readonly Color ReferenceColor = Color.FromHex("#888888");

    /// <summary>
    /// A sans-serif family that is installed. ScottPlot's own detection picks "DejaVu Serif" as its sans
    /// font on Debian, so look for the usual families first.
    /// </summary>
    private static readonly string SansFont = PickSansFont();

    public static byte[]? PrecisionRecall(string task, TaskCurves? curves, MetricSet? metrics)
    {
        if (curves is null) return null;
        var (recall, precision) = Thin(curves.Recall, curves.Precision);
        if (recall.Length == 0) return null;

        var plot = NewPlot($"{task}: precision-recall", "recall", "precision");
        var line = plot.Add.ScatterLine(recall, precision);
        line.Color = ModelColor;
        line.LineWidth = 2;
        line.LegendText = metrics?.Ap is { } ap ? $"model (AP {Fmt(ap)})" : "model";
        if (metrics is { N: > 0 } m && m.Positives > 0)
        {
            var prevalence = (double)m.Positives / m.N;
            var baseLine = plot.Add.HorizontalLine(prevalence);
            baseLine.Color = ReferenceColor;
            baseLine.LinePattern = LinePattern.Dashed;
            baseLine.LineWidth = 1;
            baseLine.LegendText = $"prevalence ({Fmt(prevalence)})";
        }
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    public static byte[]? Reliability(string task, TaskCurves? curves, bool calibrated)
    {
        if (curves is null) return null;
        var after = Points(curves.Reliability);
        (double[] X, double[] Y)? before = curves.ReliabilityUncalibrated is null ? null : Points(curves.ReliabilityUncalibrated);
        if (after.X.Length == 0 && (before is null || before.Value.X.Length == 0)) return null;

        // Ad and promotion rates are small: zoom on the populated corner rather than the whole unit square.
        var max = after.X.Concat(after.Y).Concat(before?.X ?? []).Concat(before?.Y ?? []).DefaultIfEmpty(1).Max();
        var limit = Math.Clamp(max * 1.1, 0.01, 1.0);

        var plot = NewPlot($"{task}: reliability", "mean predicted probability", "observed positive rate");
        var diagonal = plot.Add.Line(0, 0, limit, limit);
        diagonal.Color = ReferenceColor;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LineWidth = 1;
        diagonal.LegendText = "perfectly calibrated";
        if (before is { } b && b.X.Length > 0)
        {
            var s = plot.Add.Scatter(b.X, b.Y);
            s.Color = BeforeColor;
            s.LineWidth = 1.5f;
            s.MarkerSize = 7;
            s.LegendText = "before calibration";
        }
        if (after.X.Length > 0)
        {
            var s = plot.Add.Scatter(after.X, after.Y);
            s.Color = ModelColor;
            s.LineWidth = 2;
            s.MarkerSize = 7;
            s.LegendText = before is not null || calibrated ? "after calibration" : "model";
        }
        plot.Axes.SetLimits(0, limit, 0, limit);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    public static byte[]? Tiers(string task, IReadOnlyDictionary<string, MetricSet>? byTier, IReadOnlyList<string> tiers)
    {
        if (byTier is null || byTier.Count == 0) return null;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double top = 0;
        for (int i = 0; i < tiers.Count; i++)
        {
            var m = ReportFormat.Get(byTier, tiers[i]);
            var label = m is not null && ReportFormat.IsFlagged(m) ? tiers[i] + ReportFormat.FewMarker : tiers[i];
            ticks.Add(new Tick(i, label));
            if (ReportFormat.Finite(m?.Ap) is { } ap)
            {
                bars.Add(new Bar { Position = i - 0.2, Value = ap, Size = 0.38, FillColor = ModelColor, LineWidth = 0 });
                top = Math.Max(top, ap);
            }
            if (ReportFormat.Finite(m?.OracleAp) is { } oracle)
            {
                bars.Add(new Bar { Position = i + 0.2, Value = oracle, Size = 0.38, FillColor = OracleColor, LineWidth = 0 });
                top = Math.Max(top, oracle);
            }
        }
        if (bars.Count == 0) return null;

        var anyFlagged = ticks.Any(t => t.Label.EndsWith(ReportFormat.FewMarker, StringComparison.Ordinal));
        var plot = NewPlot($"{task}: AP by tier", anyFlagged ? "tier (\u2020 few positives)" : "tier", "average precision");
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        // Headroom above the tallest bar keeps the legend clear of the bars.
        plot.Axes.SetLimits(-0.6, tiers.Count - 0.4, 0, Math.Max(top * 1.25, 0.01));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "model AP", FillColor = ModelColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "oracle AP", FillColor = OracleColor });
        plot.ShowLegend(Alignment.UpperCenter, Orientation.Horizontal);
        return Png(plot);
    }

    internal static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(SansFont);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static string PickSansFont()
    {
        string[] preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI"];
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return preferred.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    }

    internal static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);

    private static (double[] X, double[] Y) Points(IReadOnlyList<ReliabilityBin> bins)
    {
        var ok = bins.Where(b => double.IsFinite(b.MeanPredicted) && double.IsFinite(b.FractionPositive)).ToList();
        return (ok.Select(b => b.MeanPredicted).ToArray(), ok.Select(b => b.FractionPositive).ToArray());
    }

    /// <summary>
    /// Keeps finite points and drops those closer than a thousandth (in both coordinates) to the last one
    /// kept; a hard stride cap bounds pathological curves.
    /// </summary>
    private static (double[] X, double[] Y) Thin(double[] xs, double[] ys)
    {
        int n = Math.Min(xs.Length, ys.Length);
        var outX = new List<double>();
        var outY = new List<double>();
        double lastX = double.NaN, lastY = double.NaN;
        int lastIndex = -1;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i])) continue;
            bool keep = outX.Count == 0 || Math.Abs(xs[i] - lastX) >= 1e-3 || Math.Abs(ys[i] - lastY) >= 1e-3;
            lastIndex = i;
            if (!keep) continue;
            outX.Add(xs[i]);
            outY.Add(ys[i]);
            lastX = xs[i];
            lastY = ys[i];
        }
        if (lastIndex >= 0 && (outX.Count == 0 || outX[^1] != xs[lastIndex] || outY[^1] != ys[lastIndex]))
        {
            outX.Add(xs[lastIndex]);
            outY.Add(ys[lastIndex]);
        }
        if (outX.Count > MaxCurvePoints)
        {
            int stride = (outX.Count + MaxCurvePoints - 1) / MaxCurvePoints;
            var keep = Enumerable.Range(0, outX.Count).Where(i => i % stride == 0 || i == outX.Count - 1).ToList();
            return (keep.Select(i => outX[i]).ToArray(), keep.Select(i => outY[i]).ToArray());
        }
        return (outX.ToArray(), outY.ToArray());
    }

    private static string Fmt(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
