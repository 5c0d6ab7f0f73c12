using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Evaluation.Reports;

namespace Crossfeed.Evaluation.Tests;

public sealed class RoutedEvaluationTests(ExperimentWorld world) : IClassFixture<ExperimentWorld>
{
    private const string BySlot = """
        name: by-slot
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion] }
          - { name: pre_stream, label: stream, sources: [ad], slots: [audio-pre, video-pre, display-pre] }
          - { name: mid_stream, label: stream, sources: [ad], slots: [audio-mid, video-mid, display-mid] }
        """;

    [Fact]
    public void Evaluate_scores_a_label_over_grouped_heads_each_row_with_the_head_of_its_slot()
    {
        var model = ModelConfigLoader.Parse(BySlot, "by-slot.yaml", world.Dataset);
        var test = world.Encoded.Test;
        var rng = new Random(5);
        var logits = model.Tasks.Select(_ => Enumerable.Range(0, test.Count).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray()).ToArray();
        var result = Evaluator.Evaluate(world.Dataset, model, test, logits, [1f, 1f, 1f], bootstrapResamples: 0);

        var routed = result.Routed!["stream@ad"];
        Assert.Equal(["pre_stream", "mid_stream"], routed.Heads);
        Assert.Single(result.Routed);
        var ad = world.Dataset.SourceIndex("ad");
        var slot = test.AnalysisText[TaskScope.Slot];
        var rows = Enumerable.Range(0, test.Count).Where(i => test.Source[i] == ad && !float.IsNaN(test.Labels["stream"][i])).ToArray();
        var scores = rows.Select(i => 1f / (1f + MathF.Exp(-logits[slot[i]!.EndsWith("-pre", StringComparison.Ordinal) ? 1 : 2][i]))).ToArray();
        var labels = rows.Select(i => test.Labels["stream"][i]).ToArray();
        Assert.Equal(rows.Length, routed.Metrics.N);
        Assert.Equal(BinaryMetrics.AveragePrecision(scores, labels)!.Value, routed.Metrics.Ap!.Value, 9);
        // each head alone covers only its slots
        Assert.Equal(rows.Length, result.Tasks["pre_stream"].N + result.Tasks["mid_stream"].N);

        var json = System.Text.Json.Nodes.JsonNode.Parse(EvaluationReport.ToMetricsJson(result))!;
        Assert.Equal("mid_stream", json["routed"]!["stream@ad"]!["heads"]![1]!.GetValue<string>());
        var dir = Path.Combine(world.Dir, "routed-report");
        EvaluationReport.Write(result, dir);
        Assert.Contains("| stream@ad | pre_stream, mid_stream |", File.ReadAllText(Path.Combine(dir, "report.md")));
    }

    [Fact]
    public void A_model_without_grouped_heads_has_no_routed_metrics()
    {
        var model = ModelConfigLoader.Parse("tasks:\n  - { name: s, label: stream }\n", "m.yaml", world.Dataset);
        var logits = new[] { new float[world.Encoded.Test.Count] };
        Assert.Null(Evaluator.Evaluate(world.Dataset, model, world.Encoded.Test, logits, [1f], bootstrapResamples: 0).Routed);
    }

    [Fact]
    public void Evaluate_leaves_rows_no_head_admits_out_of_the_routed_metric_and_warns_how_many()
    {
        var model = ModelConfigLoader.Parse("""
            name: audio-video-slots
            tasks:
              - { name: promo_stream, label: stream, sources: [promotion] }
              - { name: pre_stream, label: stream, sources: [ad], slots: [audio-pre, video-pre] }
              - { name: mid_stream, label: stream, sources: [ad], slots: [audio-mid, video-mid] }
            """, "av.yaml", world.Dataset);
        var test = world.Encoded.Test;
        var logits = model.Tasks.Select(_ => new float[test.Count]).ToArray();
        var result = Evaluator.Evaluate(world.Dataset, model, test, logits, [1f, 1f, 1f], bootstrapResamples: 0);

        var ad = world.Dataset.SourceIndex("ad");
        var slot = test.AnalysisText[TaskScope.Slot];
        var adRows = Enumerable.Range(0, test.Count).Where(i => test.Source[i] == ad && !float.IsNaN(test.Labels["stream"][i])).ToArray();
        var display = adRows.Count(i => slot[i]!.StartsWith("display", StringComparison.Ordinal));
        Assert.True(display > 0, "the world has display ads, which no head admits");
        Assert.Equal(adRows.Length - display, result.Routed!["stream@ad"].Metrics.N);
        var warning = Assert.Single(result.Warnings, w => w.Contains("outside the scope of every head"));
        Assert.Contains($"{display:N0} of {adRows.Length:N0} rows", warning);
    }

    [Fact]
    public void Evaluate_takes_the_less_streamed_threshold_from_the_dataset()
    {
        var model = ModelConfigLoader.Parse("tasks:\n  - { name: s, label: stream }\n", "m.yaml", world.Dataset);
        var test = world.Encoded.Test;
        var logits = new[] { Enumerable.Range(0, test.Count).Select(i => (float)(i % 7)).ToArray() };
        var streams = test.Analysis["streams_30d"];
        foreach (var below in new[] { 5_000.0, 100_000.0 })
        {
            var dataset = world.Dataset with { Analysis = world.Dataset.Analysis with { LessStreamedBelow = below } };
            var result = Evaluator.Evaluate(dataset, model, test, logits, [1f], bootstrapResamples: 0);
            var expected = Enumerable.Range(0, test.Count).Count(i => !float.IsNaN(test.Labels["stream"][i]) && streams[i] < below);
            Assert.Equal(expected, result.LessStreamed["s"].N);
            Assert.Equal(result.Tasks["s"].N - expected, result.RestStreamed["s"].N);
        }
    }
}
