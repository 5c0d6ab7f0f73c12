using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>One ML.NET LightGBM binary classifier per metric, on the same splits and the features of the given groups.</summary>
public sealed record LightGbmVariant(string Name, string Description, IReadOnlyList<FeatureGroup> FeatureGroups,
                                     IReadOnlyList<string> ExcludeFeatures, LightGbmPeerOptions Options)
    : ExperimentVariant(Name, Description)
{
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
                peer = LightGbmPeer.Fit(m.Metric, data.Dataset, data.Train, data.Val, FeatureGroups, ExcludeFeatures, peerOptions, all);
                seconds += clock.Elapsed.TotalSeconds;
                fitted[key] = peer;
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
