using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;

namespace Crossfeed.Evaluation.Experiments;

/// <summary>The loaded dataset a suite runs on: every variant trains on the same splits.</summary>
public sealed record ExperimentData(DatasetConfig Dataset, EncodedSplit Train, EncodedSplit Val, EncodedSplit Test, Preprocessor Preprocessor)
{
    public static ExperimentData From(EncodedDataset d) => new(d.Config, d.Train, d.Val, d.Test, d.Preprocessor);
}

/// <summary>
/// Progress of a suite: run <see cref="Run"/> of <see cref="Runs"/> (variants x seeds), the overall
/// fraction done, and a short text. <see cref="IsMessage"/> marks a line worth printing (epoch summaries).
/// </summary>
public sealed record ExperimentProgress(int Run, int Runs, string Variant, int Seed, double Fraction, string Text, bool IsMessage = false);

public sealed record ExperimentOptions
{
    /// <summary>Seeds per variant (training seed + 0, 1, ...). From 3 on, CIs come from the spread across seeds.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>Cap every model to one epoch of <see cref="QuickSteps"/> steps and LightGBM to <see cref="QuickIterations"/> trees.</summary>
    public bool Quick { get; init; }

    public int QuickSteps { get; init; } = 300;
    public int QuickIterations { get; init; } = 60;
    public int BootstrapResamples { get; init; } = 200;
    public int BootstrapSeed { get; init; } = 20260;

    /// <summary>Record a variant that throws (other than bad input or cancellation) as failed and go on with the next.</summary>
    public bool ContinueOnError { get; init; } = true;

    public IProgress<ExperimentProgress>? Progress { get; init; }
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// Runs a suite: trains every variant (x seeds) on the same splits, scores the test split, and computes
/// per metric the AP, per-tier and less-streamed AP, bootstrap (or across-seed) CIs, the relative change
/// against the baseline with a paired CI, and the oracle AP where the data has ground truth.
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
        foreach (var m in metrics.Where(m => m.Positives < Evaluation.MetricSet.FewPositives))
            notes.Add(m.Positives == 0
                ? $"{m.Metric.Name}: no positives in the test split: AP undefined"
                : $"{m.Metric.Name}: only {m.Positives} positives in the test split: its AP and CIs support no conclusion");

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
                    var (scores, seconds) = variant switch
                    {
                        ModelVariant mv => RunModel(mv, k, data, metrics, options, Report),
                        LightGbmVariant lv => RunPeer(lv, k, data, metrics, options, Report, outcome.Notes),
                        _ => throw new ArgumentException($"unknown variant kind {variant.GetType().Name}"),
                    };
                    outcome.Seconds.Add(seconds);
                    Report(0.97, "bootstrap");
                    foreach (var m in metrics)
                    {
                        if (!scores.TryGetValue(m.Metric.Name, out var s)) continue;
                        var point = SlicedAp.Compute(SlicedAp.Order(s), s, m.Labels, null, m.Slices);
                        var boot = options.Seeds >= 3 ? null : SlicedAp.Bootstrap(s, m.Labels, m.Slices, options.BootstrapResamples, options.BootstrapSeed + m.Index);
                        outcome.Add(m.Metric.Name, point, boot);
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

    private sealed class MetricRows(ExperimentMetric metric, int index, int[] rows, float[] labels, SliceMap slices, double?[]? oracle, long[] n, long[] positives)
    {
        public ExperimentMetric Metric { get; } = metric;
        public int Index { get; } = index;
        public int[] Rows { get; } = rows;
        public float[] Labels { get; } = labels;
        public SliceMap Slices { get; } = slices;
        public double?[]? Oracle { get; } = oracle;
        public long[] SliceN { get; } = n;
        public long[] SlicePositives { get; } = positives;
        public long Positives => SlicePositives[0];
    }

    private static List<MetricRows> PrepareMetrics(ExperimentSuite suite, ExperimentData data, List<string> notes)
    {
        var result = new List<MetricRows>();
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
                test.Analysis.TryGetValue("streams_30d", out var streams) ? Gather(streams, rows) : null);
            double?[]? oracle = null;
            if (test.Truth.TryGetValue(metric.Label, out var truthAll))
            {
                var truth = Gather(truthAll, rows);
                if (truth.All(t => !float.IsNaN(t))) oracle = SlicedAp.Compute(SlicedAp.Order(truth), truth, labels, null, slices);
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
            result.Add(new MetricRows(metric, result.Count, rows, labels, slices, oracle, n, pos));
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

    // ---- training and scoring

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }

    private static (Dictionary<string, float[]> Scores, double Seconds) RunModel(
        ModelVariant variant, int seedOffset, ExperimentData data, List<MetricRows> metrics, ExperimentOptions options,
        Action<double, string, bool> report)
    {
        var model = options.Quick ? Derive.Quick(variant.Model, options.QuickSteps) : variant.Model;
        model = Derive.Seed(model, model.Training.Seed + seedOffset);
        var progress = new SyncProgress<TrainProgress>(tp =>
        {
            if (tp.Message is not null) report(tp.TotalSteps > 0 ? 0.95 * tp.Step / tp.TotalSteps : 0, tp.Message, true);
            else report(tp.TotalSteps > 0 ? 0.95 * tp.Step / tp.TotalSteps : 0,
                $"epoch {tp.Epoch}/{tp.Epochs} step {tp.Step}/{tp.TotalSteps} {tp.ExamplesPerSecond:N0} ex/s", false);
        });
        var clock = Stopwatch.StartNew();
        using var trained = Trainer.Fit(model, data.Dataset, data.Train, data.Val, data.Preprocessor,
            new TrainOptions(Progress: progress, Cancellation: options.Cancellation));
        var seconds = clock.Elapsed.TotalSeconds;
        options.Cancellation.ThrowIfCancellationRequested();
        report(0.95, "scoring the test split", false);
        var probs = trained.Predict(data.Test);
        var scores = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            if (!variant.Heads.TryGetValue(m.Metric.Name, out var heads)) continue;
            scores[m.Metric.Name] = Route(variant, model, m, heads, probs, data.Test);
        }
        return (scores, seconds);
    }

    /// <summary>A metric's scores from its heads: each row from the first head whose scope admits it (one head: every row).</summary>
    private static float[] Route(ModelVariant variant, ModelConfig model, MetricRows m, IReadOnlyList<string> heads, float[][] probs, EncodedSplit test)
    {
        if (heads.Any(h => model.TaskIndex(h) < 0))
            throw new ArgumentException($"variant {variant.Name}: a head for metric {m.Metric.Name} ({string.Join(", ", heads)}) is not a task of the model");
        if (heads.Count == 1) return Gather(probs[model.TaskIndex(heads[0])], m.Rows);
        var task = Derive.RouteRows(model, heads, test, m.Rows);
        var scores = new float[m.Rows.Length];
        for (int i = 0; i < scores.Length; i++) scores[i] = probs[task[i]][m.Rows[i]];
        return scores;
    }

    private static (Dictionary<string, float[]> Scores, double Seconds) RunPeer(
        LightGbmVariant variant, int seedOffset, ExperimentData data, List<MetricRows> metrics, ExperimentOptions options,
        Action<double, string, bool> report, List<string> notes)
    {
        var peerOptions = variant.Options with
        {
            Seed = variant.Options.Seed + seedOffset,
            Iterations = options.Quick ? Math.Min(variant.Options.Iterations, options.QuickIterations) : variant.Options.Iterations,
        };
        var scores = new Dictionary<string, float[]>(StringComparer.Ordinal);
        double seconds = 0;
        EncodedSplit[] all = [data.Train, data.Val, data.Test];
        var fitted = new Dictionary<string, PeerModel>(StringComparer.Ordinal);
        for (int j = 0; j < metrics.Count; j++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var m = metrics[j];
            report((double)j / metrics.Count, $"LightGBM for {m.Metric.Name}", false);
            // A pooled peer depends only on the label (it trains on every row where the label is known): fit it once per label.
            var key = peerOptions.Pooled ? "label:" + m.Metric.Label : "metric:" + m.Metric.Name;
            var reused = fitted.TryGetValue(key, out var peer);
            if (!reused)
            {
                var clock = Stopwatch.StartNew();
                peer = LightGbmPeer.Fit(m.Metric, data.Dataset, data.Train, data.Val, variant.FeatureGroups, variant.ExcludeFeatures, peerOptions, all);
                seconds += clock.Elapsed.TotalSeconds;
                fitted[key] = peer;
            }
            scores[m.Metric.Name] = LightGbmPeer.Score(peer!, data.Test, m.Rows);
            var line = reused
                ? $"{m.Metric.Name}: the model fitted for {peer!.Metric.Name} (same label, same rows)"
                : peer!.Note ?? $"{m.Metric.Name}: {peer.Iterations} trees ({peer.CategoricalSplits} categorical splits) on {peer.TrainRows:N0} rows";
            if (seedOffset == 0) notes.Add(line);
            report((j + 1.0) / metrics.Count, line, true);
        }
        if (seedOffset == 0) notes.Add("features: " + string.Join("; ", LightGbmPeer.Describe(data.Dataset, variant, all)));
        return (scores, seconds);
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

        public void Add(string metric, double?[] point, double?[][]? boot)
        {
            if (!Points.TryGetValue(metric, out var p)) Points[metric] = p = [];
            p.Add(point);
            if (boot is null) return;
            if (!Boots.TryGetValue(metric, out var b)) Boots[metric] = b = [];
            b.Add(boot);
        }
    }

    private static VariantResult Summarise(VariantOutcome o, VariantOutcome baseline, EncodedSplit test, List<MetricRows> metrics, ExperimentOptions options)
    {
        bool isBaseline = ReferenceEquals(o, baseline);
        var result = new Dictionary<string, VariantMetric>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var model = (o.Variant as ModelVariant)?.Model;
            var heads = (o.Variant as ModelVariant)?.Heads.GetValueOrDefault(m.Metric.Name);
            bool borrowed = heads is [var single] && model!.TaskIndex(single) is var task && task >= 0 && !Derive.Covers(model.Tasks[task], m.Metric);
            if (heads is { Count: > 1 } && o.Error is null)
            {
                // name only the routed heads that scored some of the metric's rows
                var used = Derive.RouteRows(model!, heads, test, m.Rows).ToHashSet();
                heads = heads.Where(h => used.Contains(model!.TaskIndex(h))).ToList();
            }
            string? head = o.Variant switch
            {
                ModelVariant => heads is null ? null : string.Join(" + ", heads),
                LightGbmVariant => "lightgbm",
                _ => null,
            };
            var complete = o.Error is null && o.Points.TryGetValue(m.Metric.Name, out var pts) && pts.Count == options.Seeds;
            SliceResult? Slice(int s) => complete ? SliceOf(o, baseline, isBaseline, m, s, options) : null;
            var byTier = new Dictionary<string, SliceResult>(StringComparer.Ordinal);
            if (complete)
                for (int t = 0; t < m.Slices.Tiers.Count; t++)
                    byTier[m.Slices.Tiers[t].ToString(System.Globalization.CultureInfo.InvariantCulture)] = Slice(1 + t)!;
            var less = m.Slices.LessSlice;
            result[m.Metric.Name] = new VariantMetric(head, borrowed, Slice(0), byTier,
                less >= 0 ? Slice(less) : null, less >= 0 ? Slice(less + 1) : null);
        }
        var seconds = o.Seconds.Count == 0 ? 0 : o.Seconds.Average();
        return new VariantResult(o.Variant.Name, o.Variant.Description, o.Variant.Kind, seconds, o.Seconds, result, o.Notes, o.Error);
    }

    private static SliceResult SliceOf(VariantOutcome o, VariantOutcome baseline, bool isBaseline, MetricRows m, int s, ExperimentOptions options)
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
            if (Intervals.Percentile(boot) is { } ci) (apLow, apHigh) = (ci.Low, ci.High);
            if (!isBaseline && basePerSeed is not null)
            {
                var baseAp = basePerSeed.All(v => v.HasValue) ? basePerSeed.Average(v => v!.Value) : (double?)null;
                rel = Intervals.RelativeChange(ap, baseAp);
                if (Intervals.PairedRelativeChange(boot, MeanOverSeeds(baseline.Boots[name], s)) is { } rci) (relLow, relHigh) = (rci.Low, rci.High);
            }
        }
        var oracle = m.Oracle?[s];
        long pos = m.SlicePositives[s];
        string? note = pos == 0 ? "no positives: AP undefined" : pos < Evaluation.MetricSet.FewPositives ? $"only {pos} positives: unreliable" : null;
        return new SliceResult(m.SliceN[s], pos, ap, apLow, apHigh, rel, relLow, relHigh, oracle,
            ap is { } a && oracle is { } or && or > 0 ? a / or : null, perSeed, note);
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
