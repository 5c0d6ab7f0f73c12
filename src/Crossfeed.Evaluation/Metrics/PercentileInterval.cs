namespace Crossfeed.Evaluation.Metrics;

/// <summary>The percentile interval of bootstrap values (one rule for every bootstrap interval in the reports).</summary>
public static class PercentileInterval
{
    /// <summary>
    /// The (1 - level)/2 and (1 + level)/2 quantiles (nearest rank) of the values that are defined; null
    /// when fewer than half of them are (a metric undefined on most resamples has no interval).
    /// </summary>
    public static (double Low, double High)? Of(IReadOnlyList<double?> values, double level = 0.95)
    {
        var known = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (known.Count == 0 || known.Count < values.Count / 2) return null;
        known.Sort();
        double Quantile(double q) => known[(int)Math.Clamp(Math.Floor(q * (known.Count - 1) + 0.5), 0, known.Count - 1)];
        return (Quantile((1 - level) / 2), Quantile((1 + level) / 2));
    }
}
