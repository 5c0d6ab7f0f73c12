using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>
/// One ML.NET LightGBM binary classifier per metric, on the same splits and the features of the given groups.
/// With <see cref="Tuned"/>, each metric's model is chosen by validation AP among <see cref="TuningGrid"/>
/// (the number of trees by early stopping on validation log loss in every configuration).
/// </summary>
public sealed record LightGbmVariant(string Name, string Description, IReadOnlyList<FeatureGroup> FeatureGroups,
                                     IReadOnlyList<string> ExcludeFeatures, LightGbmPeerOptions Options, bool Tuned = false)
    : ExperimentVariant(Name, Description)
{
    /// <summary>The small tuning budget: 4 configurations, leaves x minimum examples per leaf.</summary>
    public static IReadOnlyList<(int Leaves, int MinExamplesPerLeaf)> TuningGrid { get; } = [(15, 20), (15, 100), (63, 20), (63, 100)];

    public override string Kind => "lightgbm";

    public override VariantScores Run(VariantRun run)
    {
        var (data, options, report) = (run.Data, run.Options, run.Report);
        var peerOptions = Options with
        {
            Seed = Options.Seed + run.SeedOffset,
            Iterations = options.Quick ? Math.Min(Options.Iterations, options.QuickIterations) : Options.Iterations,
        };
        var scores = new Dictionary<string, float[]>(StringComparer.Ordinal);
        double seconds = 0;
        EncodedSplit[] all = [data.Train, data.Val, data.Test];
        var fitted = new Dictionary<string, PeerModel>(StringComparer.Ordinal);
        var metrics = run.Metrics;
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
                var grid = Tuned && !options.Quick
                    ? TuningGrid.Select(g => peerOptions with { Leaves = g.Leaves, MinExamplesPerLeaf = g.MinExamplesPerLeaf }).ToArray()
                    : [peerOptions];
                string? choice = null;
                if (grid.Length == 1)
                {
                    peer = LightGbmPeer.Fit(m.Metric, data.Dataset, data.Train, data.Val, FeatureGroups, ExcludeFeatures, peerOptions, all);
                }
                else
                {
                    var valRows = m.Metric.Rows(data.Val, data.Dataset);
                    var valLabels = valRows.Select(r => data.Val.Labels[m.Metric.Label][r]).ToArray();
                    double bestAp = double.NegativeInfinity;
                    foreach (var candidate in grid)
                    {
                        var fit = LightGbmPeer.Fit(m.Metric, data.Dataset, data.Train, data.Val, FeatureGroups, ExcludeFeatures, candidate, all);
                        var ap = valRows.Length == 0 ? null : BinaryMetrics.AveragePrecision(LightGbmPeer.Score(fit, data.Val, valRows), valLabels);
                        if (peer is null || ap > bestAp)
                        {
                            (peer, bestAp) = (fit, ap ?? double.NegativeInfinity);
                            choice = $"chosen on validation AP {ap:0.0000} among {grid.Length} configurations: {candidate.Leaves} leaves, at least {candidate.MinExamplesPerLeaf} examples per leaf";
                        }
                    }
                }
                seconds += clock.Elapsed.TotalSeconds;
                fitted[key] = peer!;
                if (choice is not null && run.SeedOffset == 0) run.Notes.Add($"{m.Metric.Name}: {choice}");
            }
            scores[m.Metric.Name] = LightGbmPeer.Score(peer!, data.Test, m.Rows);
            var line = reused
                ? $"{m.Metric.Name}: the model fitted for {peer!.Metric.Name} (same label, same rows)"
                : peer!.Note ?? $"{m.Metric.Name}: {peer.Iterations} trees ({peer.CategoricalSplits} categorical splits) on {peer.TrainRows:N0} rows";
            if (run.SeedOffset == 0) run.Notes.Add(line);
            report((j + 1.0) / metrics.Count, line, true);
        }
        if (run.SeedOffset == 0) run.Notes.Add("features: " + string.Join("; ", LightGbmPeer.Describe(data.Dataset, this, all)));
        return new VariantScores(scores, seconds);
    }

    public override string? Head(MetricRows metric, EncodedSplit test, bool scored) => "lightgbm";
}
