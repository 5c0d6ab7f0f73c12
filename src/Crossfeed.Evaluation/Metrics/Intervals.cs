namespace Crossfeed.Evaluation.Metrics;

/// <summary>Relative change against a baseline and its confidence intervals (paired bootstrap, or across seeds).</summary>
public static class Intervals
{
    /// <summary>100 * (variant / baseline - 1); null when either is missing or the baseline is not positive.</summary>
    public static double? RelativeChange(double? variant, double? baseline) =>
        variant is { } v && baseline is { } b && b > 0 ? 100 * (v / b - 1) : null;

    /// <summary>
    /// Paired bootstrap interval of the relative change: on each resample b (the same resampled rows for
    /// both), 100 * (variant_b / baseline_b - 1); then the percentile interval.
    /// </summary>
    public static (double Low, double High)? PairedRelativeChange(IReadOnlyList<double?> variant, IReadOnlyList<double?> baseline, double level = 0.95)
    {
        if (variant.Count != baseline.Count) throw new ArgumentException("variant and baseline need the same resamples");
        var rel = new double?[variant.Count];
        for (int b = 0; b < rel.Length; b++) rel[b] = RelativeChange(variant[b], baseline[b]);
        return PercentileInterval.Of(rel, level);
    }

    /// <summary>Mean and Student-t interval over seeds (needs at least 2 values; the suites use it from 3 seeds).</summary>
    public static (double Mean, double Low, double High)? AcrossSeeds(IReadOnlyList<double> values, double level = 0.95)
    {
        int n = values.Count;
        if (n < 2) return null;
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = StudentT(n - 1, level) * sd / Math.Sqrt(n);
        return (mean, mean - half, mean + half);
    }

    /// <summary>Per-seed relative changes (seed k of the variant against seed k of the baseline), then <see cref="AcrossSeeds"/>.</summary>
    public static (double Mean, double Low, double High)? RelativeChangeAcrossSeeds(IReadOnlyList<double?> variant, IReadOnlyList<double?> baseline, double level = 0.95)
    {
        var rel = new List<double>();
        for (int k = 0; k < Math.Min(variant.Count, baseline.Count); k++)
            if (RelativeChange(variant[k], baseline[k]) is { } r) rel.Add(r);
        return rel.Count == Math.Min(variant.Count, baseline.Count) ? AcrossSeeds(rel, level) : null;
    }

    /// <summary>Two-sided Student-t quantile for the level (0.95 tabulated exactly; other levels use the normal quantile).</summary>
    public static double StudentT(int df, double level = 0.95)
    {
        if (Math.Abs(level - 0.95) > 1e-9) return NormalQuantile((1 + level) / 2);
        double[] t975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
        return df >= 1 && df <= t975.Length ? t975[df - 1] : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
    }

    private static double NormalQuantile(double p)
    {
        // Acklam's rational approximation (relative error below 1.2e-9).
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
