using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Evaluation;
using Crossfeed.Evaluation.Tests;
using Crossfeed.Training;

namespace Crossfeed.Experiments.Tests;

public sealed class SharedMetricEngineTests(ExperimentWorld world) : IClassFixture<ExperimentWorld>
{
    /// <summary>A variant that returns given scores (no training), so the runner's metric path sees exactly the scores evaluate sees.</summary>
    private sealed record FixedScores(string Name, float[] Probabilities) : ExperimentVariant(Name, "fixed scores")
    {
        public override string Kind => "fixed";

        public override VariantScores Run(VariantRun run) =>
            new(run.Metrics.ToDictionary(m => m.Metric.Name, m => m.Rows.Select(r => Probabilities[r]).ToArray()), 0);

        public override string? Head(MetricRows metric, EncodedSplit test, bool scored) => "fixed";
    }

    [Fact]
    public void Evaluate_and_experiment_give_the_same_ap_and_bootstrap_interval_for_the_same_scores_rows_and_seed()
    {
        const int seed = 4242, resamples = 200;
        var test = world.Data.Test;
        var model = ModelConfigLoader.Parse("tasks:\n  - { name: ad_stream, label: stream, sources: [ad] }\n", "one-task.yaml", world.Dataset);
        var rng = new Random(17);
        // Logits rounded to one decimal: many equal scores, so tie handling must agree too.
        var logits = Enumerable.Range(0, test.Count).Select(_ => (float)Math.Round(rng.NextDouble() * 6 - 3, 1)).ToArray();
        var evaluated = Evaluator.Evaluate(world.Dataset, model, test, [logits], [1f], resamples, seed);

        var probabilities = TrainedModel.Probabilities(logits, 1f);
        var suite = new ExperimentSuite("same-scores", "evaluate vs experiment", [new ExperimentMetric("ad_stream", "stream", "ad")],
            [new FixedScores("fixed", probabilities)], []);
        var result = ExperimentRunner.Run(suite, world.Data, new ExperimentOptions { BootstrapResamples = resamples, BootstrapSeed = seed, ContinueOnError = false });

        var e = evaluated.Tasks["ad_stream"];
        var x = result.Variants.Single().Metrics["ad_stream"].All!;
        Assert.Equal(e.N, x.N);
        Assert.True(e.ApLow < e.Ap && e.Ap < e.ApHigh, "a real interval around the AP");
        Assert.InRange(Math.Abs(e.Ap!.Value - x.Ap!.Value), 0, 1e-12);
        Assert.InRange(Math.Abs(e.ApLow!.Value - x.ApLow!.Value), 0, 1e-12);
        Assert.InRange(Math.Abs(e.ApHigh!.Value - x.ApHigh!.Value), 0, 1e-12);
        // The less-streamed slice uses the same threshold (the dataset's) on both paths.
        var less = result.Variants.Single().Metrics["ad_stream"].LessStreamed!;
        Assert.Equal(evaluated.LessStreamed["ad_stream"].N, less.N);
        Assert.InRange(Math.Abs(evaluated.LessStreamed["ad_stream"].Ap!.Value - less.Ap!.Value), 0, 1e-12);
    }

    [Fact]
    public void Experiment_roc_auc_is_the_share_of_positive_negative_pairs_ordered_right_with_ties_half()
    {
        var test = world.Data.Test;
        var rng = new Random(5);
        var probabilities = Enumerable.Range(0, test.Count).Select(_ => (float)Math.Round(rng.NextDouble(), 1)).ToArray(); // many ties
        var metric = new ExperimentMetric("ad_stream", "stream", "ad");
        var suite = new ExperimentSuite("auc", "roc-auc", [metric], [new FixedScores("fixed", probabilities)], []);
        var result = ExperimentRunner.Run(suite, world.Data, new ExperimentOptions { BootstrapResamples = 50, ContinueOnError = false });

        // Independently: every (positive, negative) pair, 1 when the positive scores higher, 1/2 on a tie.
        var rows = metric.Rows(test, world.Dataset);
        var labels = test.Labels["stream"];
        var positives = rows.Where(r => labels[r] > 0.5f).Select(r => probabilities[r]).ToArray();
        var negatives = rows.Where(r => labels[r] < 0.5f).Select(r => probabilities[r]).ToArray();
        double right = 0;
        foreach (var p in positives)
            foreach (var n in negatives)
                right += p > n ? 1 : p == n ? 0.5 : 0;
        var auc = result.Variants.Single().Metrics["ad_stream"].RocAuc!;
        Assert.Equal(right / ((double)positives.Length * negatives.Length), auc.RocAuc!.Value, 1e-9);
        Assert.True(auc.Low < auc.RocAuc && auc.RocAuc < auc.High, $"interval [{auc.Low}, {auc.High}] around {auc.RocAuc}");
    }

    [Fact]
    public void A_tuned_lightgbm_keeps_the_configuration_with_the_best_validation_ap()
    {
        var data = world.Data;
        var metric = new ExperimentMetric("ad_stream", "stream", "ad");
        var options = new LightGbmPeerOptions { Iterations = 20 };
        var variant = new LightGbmVariant("lightgbm", "tuned", Enum.GetValues<FeatureGroup>(), ["user_id"], options, Tuned: true);
        var notes = new List<string>();
        var rows = metric.Rows(data.Test, data.Dataset);
        var scores = variant.Run(new VariantRun(0, data, [new MetricRows(metric, rows)], new ExperimentOptions(), (_, _, _) => { }, notes)).Scores["ad_stream"];

        // Each configuration fitted here on its own, scored on the validation rows of the metric.
        var valRows = metric.Rows(data.Val, data.Dataset);
        var valLabels = valRows.Select(r => data.Val.Labels["stream"][r]).ToArray();
        EncodedSplit[] all = [data.Train, data.Val, data.Test];
        var fits = LightGbmVariant.TuningGrid.Select(g =>
        {
            var peer = LightGbmPeer.Fit(metric, data.Dataset, data.Train, data.Val, Enum.GetValues<FeatureGroup>(), ["user_id"],
                options with { Leaves = g.Leaves, MinExamplesPerLeaf = g.MinExamplesPerLeaf }, all);
            return (g, peer, Ap: Core.Metrics.BinaryMetrics.AveragePrecision(LightGbmPeer.Score(peer, data.Val, valRows), valLabels)!.Value);
        }).ToList();
        Assert.True(fits.Select(f => f.Ap).Distinct().Count() > 1, "the configurations must differ on validation for the choice to mean anything");
        var best = fits.MaxBy(f => f.Ap);
        Assert.Contains(notes, n => n.Contains($"{best.g.Leaves} leaves, at least {best.g.MinExamplesPerLeaf} examples per leaf", StringComparison.Ordinal));
        Assert.Equal(LightGbmPeer.Score(best.peer, data.Test, rows), scores);
    }
}
