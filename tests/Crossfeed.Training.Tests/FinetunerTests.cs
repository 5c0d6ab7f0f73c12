using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training.Tests;

public class FinetunerTests
{
    private const string BaseYaml = """
        name: tiny-ARCH
        architecture: ARCH
        encoder: { hidden: [16, 8] }
        experts: { count: 2, hidden: [8] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
          - { name: ad_stream, label: stream, sources: [ad], tower: [8] }
          - { name: click, label: click, tower: [8, 4] }
        training: { epochs: 1, batch_size: 64, learning_rate: 0.01, warmup_steps: 0, seed: 3, max_steps_per_epoch: 3 }
        """;

    private const int Click = 2, AdClick = 3;

    public static TheoryData<string> Architectures => new() { "shared_bottom", "mmoe", "ple", "camoe" };

    private static readonly DatasetConfig Dataset = TinyData.Dataset();
    private static readonly EncodedSplit Train = TinyData.Split(640, seed: 1);
    private static readonly EncodedSplit Val = TinyData.Split(300, seed: 2, name: SplitName.Val);

    private static TrainedModel Base(string arch) =>
        Trainer.Fit(TinyData.Model(Dataset, BaseYaml.Edit("ARCH", arch)), Dataset, Train, Val,
                    TinyData.Preprocessor(Dataset), new TrainOptions());

    /// <summary>The base tasks plus ad_click, whose head starts as a copy of click's; the encoder frozen.</summary>
    private static TrainedModel Finetune(TrainedModel source, string arch, bool zeroShot, TrainOptions options)
    {
        var yaml = BaseYaml.Edit("ARCH", arch).Edit(
                                 "tower: [8, 4] }\n", "tower: [8, 4] }\n  - { name: ad_click, label: click, sources: [ad], tower: [8, 4] }\n")
            + $"\nfinetune: {{ freeze: encoder, init_from: {{ ad_click: click }}, zero_shot: {(zeroShot ? "true" : "false")} }}\n";
        return Finetuner.Fit(source, TinyData.Model(Dataset, yaml), Dataset, Train, Val, options);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Init_from_copies_the_origin_heads_weights_into_the_new_head(string arch)
    {
        using var source = Base(arch);
        using var tuned = Finetune(source, arch, zeroShot: true, new TrainOptions());
        var origin = source.Network.Heads[Click].state_dict();
        var head = tuned.Network.Heads[AdClick].state_dict();
        Assert.NotEmpty(head);
        Assert.Equal(origin.Keys.Order(), head.Keys.Order());
        foreach (var (name, t) in head)
            Assert.True(t.equal(origin[name]).all().item<bool>(), $"{arch}: {name} of the new head is not the origin head's");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void With_a_frozen_encoder_a_step_changes_only_the_new_tasks_head_gates_and_experts(string arch)
    {
        using var source = Base(arch);
        // Zero-shot builds the finetune model exactly as training starts (same seed, same copies) and stops there.
        using var start = Finetune(source, arch, zeroShot: true, new TrainOptions());
        using var stepped = Finetune(source, arch, zeroShot: false, new TrainOptions(StopAfterSteps: 1));
        var own = stepped.Network.TaskModules(AdClick).SelectMany(m => m.parameters()).Select(p => p.Handle).ToHashSet();
        var head = stepped.Network.Heads[AdClick].parameters().Select(p => p.Handle).ToHashSet();
        var before = start.Network.state_dict();
        var changed = stepped.Network.named_parameters().Where(p => !p.parameter.equal(before[p.name]).all().item<bool>()).ToList();
        Assert.Contains(changed, p => head.Contains(p.parameter.Handle));
        Assert.All(changed, p => Assert.True(own.Contains(p.parameter.Handle), $"{arch}: {p.name} changed although it is not the new task's"));
    }
}
