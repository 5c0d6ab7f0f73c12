using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Data;
using Crossfeed.Evaluation;
using Crossfeed.Evaluation.Metrics;

namespace Crossfeed.Experiments;

/// <summary>
/// Runs a suite: each variant (x seeds) trains and scores the test split itself; the runner computes per
/// metric, through the shared metric engine (<see cref="SlicedAveragePrecision"/>, <see cref="Resampler"/>,
/// <see cref="PercentileInterval"/>), the AP, per-tier and less-streamed AP, bootstrap (or across-seed)
/// CIs, the relative change against the baseline with a paired CI, and the oracle AP where the data has
/// ground truth.
/// </summary>
public static class ExperimentRunner
{
    private const int FewRows = 10_000;

    public static ExperimentResult Run(ExperimentSuite suite, ExperimentData data, ExperimentOptions? options = null)
    {
        options ??= new ExperimentOptions();
        if (options.Seeds < 1) throw new BadInputException($"--seeds must be at least 1, got {options.Seeds}");
        if (options.BootstrapResamples < 10) throw new ArgumentOutOfRangeException(nameof(options), "at least 10 bootstrap resamples");
        var clock = Stopwatch.StartNew();
        var notes = new List<string>(suite.Notes);
        var metrics = PrepareMetrics(suite, data, notes);
        long total = (long)data.Train.Count + data.Val.Count + data.Test.Count;
        if (total < FewRows)
            notes.Add($"the dataset has only {total:N0} rows: these numbers support no conclusion (they show the suite runs)");
        foreach (var m in metrics.Where(m => m.Positives < MetricSet.FewPositives))
            notes.Add(m.Positives == 0
                ? $"{m.Metric.Name}: no positives in the test split: AP undefined"
                : $"{m.Metric.Name}: only {m.Positives} positives in the test split: its AP and CIs support no conclusion");

        var targets = metrics.Select(m => m.Target).ToList();
        int runs = suite.Variants.Count * options.Seeds;
        var runsDone = 0;
        var outcomes = new List<VariantOutcome>();
        foreach (var variant in suite.Variants)
        {
            var outcome = new VariantOutcome(variant);
            outcomes.Add(outcome);
            for (int k = 0; k < options.Seeds; k++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                int run = runsDone++;
                void Report(double within, string text, bool message = false) =>
                    options.Progress?.Report(new ExperimentProgress(run + 1, runs, variant.Name, k, (run + Math.Clamp(within, 0, 1)) / runs, text, message));
                try
                {
                    Report(0, "starting");
                    var (scores, seconds) = variant.Run(new VariantRun(k, data, targets, options, Report, outcome.Notes));
                    outcome.Seconds.Add(seconds);
                    Report(0.97, "bootstrap");
                    foreach (var m in metrics)
                    {
                        if (!scores.TryGetValue(m.Metric.Name, out var s)) continue;
                        var sliced = new SlicedAveragePrecision(s, m.Labels, m.Slices, $"{variant.Name} on {m.Metric.Name}");
                        var boot = options.Seeds >= 3 ? null : sliced.Bootstrap(options.BootstrapResamples, options.BootstrapSeed + m.Index);
                        outcome.Add(m.Metric.Name, sliced.Compute(), boot);
                        outcome.AddAuc(m.Metric.Name, s, m.Labels, options.Seeds >= 3 ? 0 : options.BootstrapResamples, options.BootstrapSeed + m.Index);
                    }
                    Report(1, $"done in {seconds:F0} s");
                }
                catch (Exception e) when (options.ContinueOnError && e is not OperationCanceledException and not BadInputException)
                {
                    outcome.Error = $"{e.GetType().Name}: {e.Message}";
                    Report(1, $"failed: {e.Message}", message: true);
                    runsDone += options.Seeds - k - 1;
                    break;
                }
            }
        }

        var baseline = outcomes[0];
        var variants = outcomes.Select(o => Summarise(o, baseline, data.Test, metrics, options)).ToList();
        var ciMethod = options.Seeds >= 3
            ? $"across {options.Seeds} seeds: mean and Student-t 95% interval; relative change per seed (seed k vs baseline seed k)"
            : $"bootstrap of the test rows ({options.BootstrapResamples} resamples, 95% percentile interval); relative change paired on the same resampled rows"
              + (options.Seeds == 2 ? "; AP averaged over 2 seeds in each resample" : "");
        return new ExperimentResult(suite.Name, suite.Description, data.Dataset.Name, data.Dataset.ConfigPath, options.Seeds, options.Quick,
            ciMethod, options.Seeds >= 3 ? 0 : options.BootstrapResamples, suite.Baseline.Name,
            metrics.Select(m => new MetricSummary(m.Metric.Name, m.Metric.Label, m.Metric.Source, m.Metric.Where.IsAll ? null : m.Metric.Where.ToString(), m.Metric.Describe(),
                m.Rows.Length, m.Positives, m.Rows.Length == 0 ? 0 : (double)m.Positives / m.Rows.Length, m.Oracle?[0])).ToList(),
            variants, notes, clock.Elapsed.TotalSeconds);
    }

    // ---- metric rows

    private sealed class PreparedMetric(MetricRows target, int index, float[] labels, SliceMap slices, double?[]? oracle, long[] n, long[] positives)
    {
        public MetricRows Target { get; } = target;
        public ExperimentMetric Metric => Target.Metric;
        public int Index { get; } = index;
        public int[] Rows => Target.Rows;
        public float[] Labels { get; } = labels;
        public SliceMap Slices { get; } = slices;
        public double?[]? Oracle { get; } = oracle;
        public long[] SliceN { get; } = n;
        public long[] SlicePositives { get; } = positives;
        public long Positives => SlicePositives[0];
    }

    private static List<PreparedMetric> PrepareMetrics(ExperimentSuite suite, ExperimentData data, List<string> notes)
    {
        var result = new List<PreparedMetric>();
        var test = data.Test;
        foreach (var metric in suite.Metrics)
        {
            var rows = metric.Rows(test, data.Dataset);
            if (rows.Length == 0)
            {
                if (metric.Required)
                    throw new BadInputException($"{data.Dataset.ConfigPath}: suite '{suite.Name}' needs test rows with {metric.Describe()} for metric {metric.Name}, and the test split has none");
                notes.Add($"{metric.Name}: no test rows with {metric.Describe()}: left out");
                continue;
            }
            var labels = Gather(test.Labels[metric.Label], rows);
            var slices = SliceMap.Build(rows.Length,
                test.Analysis.TryGetValue("tier", out var tier) ? Gather(tier, rows) : null,
                test.Analysis.TryGetValue("streams_30d", out var streams) ? Gather(streams, rows) : null,
                data.Dataset.Analysis.LessStreamedBelow);
            double?[]? oracle = null;
            if (test.Truth.TryGetValue(metric.Label, out var truthAll))
            {
                var truth = Gather(truthAll, rows);
                if (truth.All(t => !float.IsNaN(t))) oracle = new SlicedAveragePrecision(truth, labels, slices, $"oracle of {metric.Name}").Compute();
            }
            var n = new long[slices.Count];
            var pos = new long[slices.Count];
            for (int i = 0; i < rows.Length; i++)
            {
                bool y = labels[i] > 0.5f;
                foreach (var s in new[] { 0, slices.TierSlice[i], slices.StreamSlice[i] })
                {
                    if (s < 0) continue;
                    n[s]++;
                    if (y) pos[s]++;
                }
            }
            result.Add(new PreparedMetric(new MetricRows(metric, rows), result.Count, labels, slices, oracle, n, pos));
        }
        if (result.Count == 0) throw new BadInputException($"{data.Dataset.ConfigPath}: no metric of suite '{suite.Name}' has test rows");
        return result;
    }

    private static T[] Gather<T>(T[] values, int[] rows)
    {
        var result = new T[rows.Length];
        for (int i = 0; i < rows.Length; i++) result[i] = values[rows[i]];
        return result;
    }

    // ---- summaries

    private sealed class VariantOutcome(ExperimentVariant variant)
    {
        public ExperimentVariant Variant { get; } = variant;
        public List<double> Seconds { get; } = [];
        public List<string> Notes { get; } = [];
        public string? Error { get; set; }

        /// <summary>Per metric: per seed the AP per slice, and (bootstrap mode) per seed [slice][resample].</summary>
        public Dictionary<string, List<double?[]>> Points { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<double?[][]>> Boots { get; } = new(StringComparer.Ordinal);

        /// <summary>Per metric: per seed the ROC-AUC on all rows, and (bootstrap mode) per seed per resample.</summary>
        public Dictionary<string, List<double?>> Auc { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<double?[]>> AucBoots { get; } = new(StringComparer.Ordinal);

        /// <summary>ROC-AUC of <paramref name="scores"/>, and on the resamples AP uses (same seed: paired rows).</summary>
        public void AddAuc(string metric, float[] scores, float[] labels, int resamples, int seed)
        {
            var ranked = RankedRows.Of(scores, labels, $"ROC-AUC of {Variant.Name} on {metric}");
            if (!Auc.TryGetValue(metric, out var a)) Auc[metric] = a = [];
            a.Add(ranked.RocAuc());
            if (resamples == 0) return;
            var boots = new double?[resamples];
            var counts = new int[scores.Length];
            for (int b = 0; b < resamples; b++)
            {
                Resampler.Counts(counts.Length, seed, b, counts);
                boots[b] = ranked.RocAuc(counts);
            }
            if (!AucBoots.TryGetValue(metric, out var ab)) AucBoots[metric] = ab = [];
            ab.Add(boots);
        }

        public void Add(string metric, double?[] point, double?[][]? boot)
        {
            if (!Points.TryGetValue(metric, out var p)) Points[metric] = p = [];
            p.Add(point);
            if (boot is null) return;
            if (!Boots.TryGetValue(metric, out var b)) Boots[metric] = b = [];
            b.Add(boot);
        }
    }

    private static VariantResult Summarise(VariantOutcome o, VariantOutcome baseline, EncodedSplit test, List<PreparedMetric> metrics, ExperimentOptions options)
    {
        bool isBaseline = ReferenceEquals(o, baseline);
        var result = new Dictionary<string, VariantMetric>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var head = o.Variant.Head(m.Target, test, scored: o.Error is null);
            var borrowed = o.Variant.Borrows(m.Metric);
            var complete = o.Error is null && o.Points.TryGetValue(m.Metric.Name, out var pts) && pts.Count == options.Seeds;
            SliceResult? Slice(int s) => complete ? SliceOf(o, baseline, isBaseline, m, s, options) : null;
            var byTier = new Dictionary<string, SliceResult>(StringComparer.Ordinal);
            if (complete)
                for (int t = 0; t < m.Slices.Tiers.Count; t++)
                    byTier[m.Slices.Tiers[t].ToString(System.Globalization.CultureInfo.InvariantCulture)] = Slice(1 + t)!;
            var less = m.Slices.LessSlice;
            result[m.Metric.Name] = new VariantMetric(head, borrowed, Slice(0), byTier,
                less >= 0 ? Slice(less) : null, less >= 0 ? Slice(less + 1) : null, complete ? AucOf(o, m.Metric.Name, options) : null);
        }
        var seconds = o.Seconds.Count == 0 ? 0 : o.Seconds.Average();
        return new VariantResult(o.Variant.Name, o.Variant.Description, o.Variant.Kind, seconds, o.Seconds, result, o.Notes, o.Error);
    }

    private static SliceResult SliceOf(VariantOutcome o, VariantOutcome baseline, bool isBaseline, PreparedMetric m, int s, ExperimentOptions options)
    {
        var name = m.Metric.Name;
        var perSeed = o.Points[name].Select(p => p[s]).ToList();
        double? ap = perSeed.All(v => v.HasValue) ? perSeed.Average(v => v!.Value) : null;
        var basePerSeed = baseline.Error is null && baseline.Points.TryGetValue(name, out var bp) && bp.Count == options.Seeds
            ? bp.Select(p => p[s]).ToList()
            : null;
        double? apLow = null, apHigh = null, rel = null, relLow = null, relHigh = null;
        if (options.Seeds >= 3)
        {
            if (perSeed.All(v => v.HasValue) && Intervals.AcrossSeeds(perSeed.Select(v => v!.Value).ToList()) is { } ci)
                (apLow, apHigh) = (ci.Low, ci.High);
            if (!isBaseline && basePerSeed is not null && Intervals.RelativeChangeAcrossSeeds(perSeed, basePerSeed) is { } r)
                (rel, relLow, relHigh) = (r.Mean, r.Low, r.High);
        }
        else
        {
            var boot = MeanOverSeeds(o.Boots[name], s);
            if (PercentileInterval.Of(boot) is { } ci) (apLow, apHigh) = (ci.Low, ci.High);
            if (!isBaseline && basePerSeed is not null)
            {
                var baseAp = basePerSeed.All(v => v.HasValue) ? basePerSeed.Average(v => v!.Value) : (double?)null;
                rel = Intervals.RelativeChange(ap, baseAp);
                if (Intervals.PairedRelativeChange(boot, MeanOverSeeds(baseline.Boots[name], s)) is { } rci) (relLow, relHigh) = (rci.Low, rci.High);
            }
        }
        var oracle = m.Oracle?[s];
        long pos = m.SlicePositives[s];
        string? note = pos == 0 ? "no positives: AP undefined" : pos < MetricSet.FewPositives ? $"only {pos} positives: unreliable" : null;
        return new SliceResult(m.SliceN[s], pos, ap, apLow, apHigh, rel, relLow, relHigh, oracle,
            ap is { } a && oracle is { } or && or > 0 ? a / or : null, perSeed, note);
    }

    private static AucSummary AucOf(VariantOutcome o, string metric, ExperimentOptions options)
    {
        var perSeed = o.Auc[metric];
        double? mean = perSeed.All(v => v.HasValue) ? perSeed.Average(v => v!.Value) : null;
        (double Low, double High)? ci = null;
        if (options.Seeds >= 3)
        {
            if (perSeed.All(v => v.HasValue) && Intervals.AcrossSeeds(perSeed.Select(v => v!.Value).ToList()) is { } s) ci = (s.Low, s.High);
        }
        else if (o.AucBoots.TryGetValue(metric, out var boots))
        {
            ci = PercentileInterval.Of(MeanOverSeeds(boots.Select(b => new[] { b }).ToList(), 0));
        }
        return new AucSummary(mean, ci?.Low, ci?.High, perSeed);
    }

    private static double?[] MeanOverSeeds(List<double?[][]> boots, int slice)
    {
        int b = boots[0][slice].Length;
        var result = new double?[b];
        for (int i = 0; i < b; i++)
        {
            double sum = 0;
            bool ok = true;
            foreach (var seed in boots)
            {
                if (seed[slice][i] is not { } v)
                {
                    ok = false;
                    break;
                }
                sum += v;
            }
            result[i] = ok ? sum / boots.Count : null;
        }
        return result;
    }
}
