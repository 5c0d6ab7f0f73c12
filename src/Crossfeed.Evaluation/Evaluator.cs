using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Data;
using Crossfeed.Evaluation.Metrics;
using Crossfeed.Training;

namespace Crossfeed.Evaluation;

/// <summary>
/// Scores one split with a bundle and computes every slice docs/evaluation.md lists: per task on its
/// evaluated rows, every head on every source where its label exists, tiers 0-7, less-streamed shows
/// against the rest, modality and slot; oracle metrics wherever the data has ground truth.
/// </summary>
public static class Evaluator
{
    /// <summary>Below this many rows in a split, figures are reported with a plain warning.</summary>
    public const int FewRows = 10_000;

    public static EvaluationResult Evaluate(TrainedModel bundle, EncodedSplit split, int bootstrapResamples = 200)
    {
        var model = bundle.Model;
        var logits = bundle.PredictLogits(split);
        var result = Evaluate(bundle.Dataset, model, split, logits, bundle.Temperatures.ToArray(), bootstrapResamples);
        return result with { Warnings = result.Warnings.Concat(UnseenWarnings(bundle, split)).ToList() };
    }

    /// <summary>A warning per feature the model reads whose ids in the split are mostly (at least 5%) unknown to the training vocabulary.</summary>
    private static IEnumerable<string> UnseenWarnings(TrainedModel bundle, EncodedSplit split)
    {
        var used = bundle.Layout.Categorical.Select(c => c.Feature).ToHashSet();
        foreach (var (feature, share) in UnseenIds.Shares(split, bundle.Preprocessor))
            if (used.Contains(feature) && share >= 0.05)
                yield return $"{feature}: {100 * share:0}% of its ids in this split are unknown to the training vocabulary and share the out-of-vocabulary embedding" +
                             (bundle.Model.IdDropoutRates.ContainsKey(feature) ? " (trained with id dropout)" : " (consider id_dropout for it)");
    }

    /// <summary>The same from logits already computed (tests, experiments).</summary>
    public static EvaluationResult Evaluate(DatasetConfig dataset, ModelConfig model, EncodedSplit split, float[][] logits,
                                            float[] temperatures, int bootstrapResamples = 200, int bootstrapSeed = MetricSets.DefaultBootstrapSeed)
    {
        bool calibrated = temperatures.Any(t => t != 1f);
        var probs = logits.Select((l, k) => Probabilities(l, temperatures[k])).ToArray();
        var raw = calibrated ? logits.Select(l => Probabilities(l, 1f)).ToArray() : null;
        var targets = new TaskTargets(model, dataset);
        var warnings = new List<string>();
        if (split.Count < FewRows)
            warnings.Add($"only {split.Count:N0} rows in the {split.Name.ToString().ToLowerInvariant()} split: these figures support no conclusion, they only show that the pipeline runs");
        if (split.Truth.Count == 0) warnings.Add("the data has no ground-truth probabilities: no oracle metrics");

        var tier = split.Analysis.GetValueOrDefault("tier");
        var streams = split.Analysis.GetValueOrDefault("streams_30d");
        if (tier is null) warnings.Add("no analysis.tier column: no per-tier slices");
        if (streams is null) warnings.Add("no analysis.streams_30d column: no less-streamed slice");
        var streamSlices = SliceMap.Build(split.Count, null, streams, dataset.Analysis.LessStreamedBelow);

        var tasks = new Dictionary<string, MetricSet>();
        var byTier = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>();
        var bySource = dataset.Source.Values.ToDictionary(s => s, _ => new Dictionary<string, MetricSet>());
        var bySourceTier = dataset.Source.Values.ToDictionary(s => s, _ => new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>());
        var less = new Dictionary<string, MetricSet>();
        var rest = new Dictionary<string, MetricSet>();
        var byModality = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>();
        var bySlot = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>();
        var contentType = split.AnalysisText.GetValueOrDefault(TaskScope.ContentType);
        var byContentType = contentType is null ? null : new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>();
        var curves = new Dictionary<string, TaskCurves>();
        var uncalibratedEce = calibrated ? new Dictionary<string, double>() : null;

        for (int k = 0; k < model.Tasks.Count; k++)
        {
            var task = model.Tasks[k];
            var labels = split.Labels[task.Label];
            var truth = split.Truth.GetValueOrDefault(task.Label);
            var home = targets.EvaluatedRows(split, k);
            MetricSet Slice(Func<int, bool> keep, int bootstrap = 0) =>
                Compute(probs[k], labels, truth, Rows(split.Count, i => home[i] && keep(i)), bootstrap, bootstrapSeed);

            tasks[task.Name] = Slice(_ => true, bootstrapResamples);
            if (tier is not null)
                byTier[task.Name] = Enumerable.Range(0, 8).ToDictionary(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture), t => Slice(i => tier[i] == t));
            if (streams is not null)
            {
                less[task.Name] = Slice(i => streamSlices.StreamSlice[i] == streamSlices.LessSlice);
                rest[task.Name] = Slice(i => streamSlices.StreamSlice[i] == streamSlices.LessSlice + 1);
            }
            for (int s = 0; s < dataset.Source.Values.Count; s++)
            {
                int source = s;
                var rows = Rows(split.Count, i => split.Source[i] == source && !float.IsNaN(labels[i]));
                if (rows.Length == 0) continue;
                bySource[dataset.Source.Values[s]][task.Name] = Compute(probs[k], labels, truth, rows, 0, 0);
                if (tier is not null)
                    bySourceTier[dataset.Source.Values[s]][task.Name] = Enumerable.Range(0, 8).ToDictionary(
                        t => t.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        t => Compute(probs[k], labels, truth, rows.Where(i => tier[i] == t).ToArray(), 0, 0));
            }
            if (split.AnalysisText.GetValueOrDefault("modality") is { } modality)
                byModality[task.Name] = Groups(modality, home).ToDictionary(g => g.Key, g => Compute(probs[k], labels, truth, g.Value, 0, 0));
            if (split.AnalysisText.GetValueOrDefault("slot") is { } slot)
                bySlot[task.Name] = Groups(slot, home).ToDictionary(g => g.Key, g => Compute(probs[k], labels, truth, g.Value, 0, 0));
            if (contentType is not null)
                byContentType![task.Name] = Groups(contentType, home).ToDictionary(g => g.Key, g => Compute(probs[k], labels, truth, g.Value, 0, 0));

            var homeRows = Rows(split.Count, i => home[i]);
            var (p, l) = Gather(probs[k], labels, homeRows);
            var (precision, recall) = BinaryMetrics.PrecisionRecall(p, l);
            (precision, recall) = Thin(precision, recall, 400);
            IReadOnlyList<ReliabilityBin>? before = null;
            if (raw is not null)
            {
                var (rp, rl) = Gather(raw[k], labels, homeRows);
                var rankedRaw = RankedRows.Of(rp, rl, "uncalibrated reliability");
                before = rankedRaw.Reliability();
                if (rankedRaw.Ece() is { } ece) uncalibratedEce![task.Name] = ece;
            }
            curves[task.Name] = new TaskCurves(task.Name, precision, recall, BinaryMetrics.Reliability(p, l), before);
        }

        var routed = Routed(dataset, model, split, probs, bootstrapResamples, bootstrapSeed, warnings);
        return new EvaluationResult(model.Name, dataset.Name, split.Name.ToString().ToLowerInvariant(), calibrated,
            model.Tasks.Select(t => t.Name).ToList(), tasks, byTier,
            bySource.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, MetricSet>)kv.Value),
            less, rest, byModality, bySlot, curves, uncalibratedEce, warnings,
            bySourceTier.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>>)kv.Value), byContentType, routed);
    }

    /// <summary>
    /// Per label and source served by two or more scoped tasks (tasks grouped by slot or content type): the
    /// label on that source's rows, each row scored by the first of those tasks whose scope admits it, so a
    /// grouped model has one figure comparable with an ungrouped one. Key "label@source"; null when none.
    /// Rows no head admits are left out, with a warning saying how many.
    /// </summary>
    private static Dictionary<string, RoutedMetric>? Routed(DatasetConfig dataset, ModelConfig model, EncodedSplit split, float[][] probs,
                                                            int bootstrap, int seed, List<string> warnings)
    {
        Dictionary<string, RoutedMetric>? routed = null;
        for (int s = 0; s < dataset.Source.Values.Count; s++)
        {
            var source = dataset.Source.Values[s];
            foreach (var group in model.Tasks.Select((t, k) => (Task: t, K: k))
                         .Where(x => !x.Task.Scope.IsAll && x.Task.Sources.Contains(source)).GroupBy(x => x.Task.Label))
            {
                var heads = group.ToList();
                if (heads.Count < 2) continue;
                var labels = split.Labels[group.Key];
                var candidates = Rows(split.Count, i => split.Source[i] == s && !float.IsNaN(labels[i]));
                var routing = HeadRouter.Route(model, heads.Select(h => h.K).ToList(), split, candidates);
                if (routing.Problem is not null) warnings.Add($"{group.Key}@{source} (routed): {routing.Problem}; they are left out of it");
                var kept = routing.Routed();
                var combined = new float[split.Count];
                foreach (var j in kept) combined[candidates[j]] = probs[routing.Task[j]][candidates[j]];
                var rows = kept.Select(j => candidates[j]).ToArray();
                routed ??= new Dictionary<string, RoutedMetric>(StringComparer.Ordinal);
                routed[$"{group.Key}@{source}"] = new RoutedMetric(heads.Select(h => h.Task.Name).ToList(),
                    Compute(combined, labels, split.Truth.GetValueOrDefault(group.Key), rows, bootstrap, seed));
            }
        }
        return routed;
    }

    private static float[] Probabilities(float[] logits, float t) => TrainedModel.Probabilities(logits, t);

    private static int[] Rows(int count, Func<int, bool> keep)
    {
        var rows = new List<int>();
        for (int i = 0; i < count; i++)
            if (keep(i)) rows.Add(i);
        return rows.ToArray();
    }

    private static Dictionary<string, int[]> Groups(string?[] values, bool[] keep)
    {
        var groups = new Dictionary<string, List<int>>();
        for (int i = 0; i < values.Length; i++)
        {
            if (!keep[i] || values[i] is not { } v) continue;
            if (!groups.TryGetValue(v, out var list)) groups[v] = list = [];
            list.Add(i);
        }
        return groups.ToDictionary(g => g.Key, g => g.Value.ToArray());
    }

    private static (float[] Scores, float[] Labels) Gather(float[] scores, float[] labels, int[] rows) =>
        (rows.Select(i => scores[i]).ToArray(), rows.Select(i => labels[i]).ToArray());

    private static MetricSet Compute(float[] scores, float[] labels, float[]? truth, int[] rows, int bootstrap, int seed)
    {
        var (s, l) = Gather(scores, labels, rows);
        var t = truth is null ? null : rows.Select(i => truth[i]).ToArray();
        return MetricSets.Compute(s, l, t, bootstrap, seed);
    }

    /// <summary>At most n points of a curve, evenly spaced, always keeping the last.</summary>
    private static (double[], double[]) Thin(double[] a, double[] b, int n)
    {
        if (a.Length <= n) return (a, b);
        var idx = Enumerable.Range(0, n).Select(i => (int)((long)i * (a.Length - 1) / (n - 1))).Distinct().ToArray();
        return (idx.Select(i => a[i]).ToArray(), idx.Select(i => b[i]).ToArray());
    }
}
