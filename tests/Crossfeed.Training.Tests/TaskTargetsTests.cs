using Crossfeed.Core;

namespace Crossfeed.Training.Tests;

public class TaskTargetsTests
{
    private const string ModalityDataset = """
        name: m
        input: { path: none.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: user_id, group: user }
        labels:
          - { name: stream }
        analysis: { modality: modality }
        """;

    private static (TaskTargets Targets, Data.EncodedSplit Split) Build(bool adaptive)
    {
        var dataset = DatasetConfigLoader.Parse(ModalityDataset, "m.yaml", "/tmp");
        var model = TinyData.Model(dataset, $$"""
            name: c
            tasks:
              - { name: promo_stream, label: stream, sources: [promotion] }
              - { name: audio_stream, label: stream, sources: [ad], modalities: [audio] }
              - { name: video_stream, label: stream, sources: [ad], modalities: [video] }
            masks:
              - { source: ad, tasks: [promo_stream], weight: 0 }
            adaptive_masking: {{(adaptive ? "true" : "false")}}
            """);
        var split = TinyData.Split(4, seed: 1) is var s ? new Data.EncodedSplit
        {
            Name = SplitName.Train,
            Count = 4,
            Source = [0, 1, 1, 1],
            Ids = s.Ids,
            ListOffsets = s.ListOffsets,
            Dense = s.Dense,
            Labels = new Dictionary<string, float[]> { ["stream"] = [1, 0, 1, float.NaN] },
            Truth = s.Truth,
            Analysis = s.Analysis,
            AnalysisText = new Dictionary<string, string?[]> { ["modality"] = ["display", "audio", "video", "video"] },
            Keys = s.Keys,
        } : null!;
        return (new TaskTargets(model, dataset), split);
    }

    [Fact]
    public void Adaptive_masking_keeps_other_modalities_out_of_a_modality_task()
    {
        var (targets, split) = Build(adaptive: true);
        var (_, w) = targets.Build(split, [0, 1, 2, 3]);
        // rows x tasks (promo, audio, video): promotion row, audio ad, video ad, video ad with unknown label
        Assert.Equal(new float[] { 1, 0, 0, /**/ 0, 1, 0, /**/ 0, 0, 1, /**/ 0, 0, 0 }, w);
    }

    [Fact]
    public void Without_adaptive_masking_every_ad_row_teaches_every_ad_task_but_evaluation_stays_per_modality()
    {
        var (targets, split) = Build(adaptive: false);
        var (_, w) = targets.Build(split, [0, 1, 2, 3]);
        Assert.Equal(new float[] { 1, 1, 1, /**/ 0, 1, 1, /**/ 0, 1, 1, /**/ 0, 0, 0 }, w);
        Assert.Equal(new[] { false, true, false, false }, targets.EvaluatedRows(split, 1));
        Assert.Equal(new[] { false, false, true, false }, targets.EvaluatedRows(split, 2));
        Assert.Equal(new[] { true, false, false, false }, targets.EvaluatedRows(split, 0));
    }

    [Fact]
    public void A_task_scoped_by_slot_and_content_type_learns_and_is_evaluated_only_on_rows_matching_both()
    {
        var dataset = DatasetConfigLoader.Parse(ModalityDataset.Edit("analysis: { modality: modality }",
            "analysis: { modality: modality, slot: slot, content_type: content_type }"), "m.yaml", "/tmp");
        var model = TinyData.Model(dataset, """
            name: c
            tasks:
              - { name: music_breaks, label: stream, sources: [ad], slots: [break, takeover], content_types: [music] }
              - { name: podcast, label: stream, sources: [ad], content_types: [podcast] }
            """);
        Assert.True(model.AdaptiveMasking); // on by default once a task has a scope
        var s = TinyData.Split(5, seed: 1);
        var split = new Data.EncodedSplit
        {
            Name = SplitName.Train,
            Count = 5,
            Source = [1, 1, 1, 1, 1],
            Ids = s.Ids,
            ListOffsets = s.ListOffsets,
            Dense = s.Dense,
            Labels = new Dictionary<string, float[]> { ["stream"] = [1, 0, 1, 0, 1] },
            Truth = s.Truth,
            Analysis = s.Analysis,
            AnalysisText = new Dictionary<string, string?[]>
            {
                ["modality"] = ["audio", "audio", "video", "audio", "audio"],
                ["slot"] = ["break", "preroll", "takeover", "break", null],
                ["content_type"] = ["music", "podcast", "music", "podcast", "music"],
            },
            Keys = s.Keys,
        };
        var targets = new TaskTargets(model, dataset);
        var (_, w) = targets.Build(split, [0, 1, 2, 3, 4]);
        // rows x tasks (music_breaks, podcast); the last row's slot is unknown, so it is outside any slot scope
        Assert.Equal(new float[] { 1, 0, /**/ 0, 1, /**/ 1, 0, /**/ 0, 1, /**/ 0, 0 }, w);
        Assert.Equal(new[] { true, false, true, false, false }, targets.EvaluatedRows(split, 0));
        Assert.Equal(new[] { false, true, false, true, false }, targets.EvaluatedRows(split, 1));
    }
}
