namespace Crossfeed.Core.Tests;

public class ModelConfigTests
{
    private const string Dataset = """
        name: d
        input: { path: x.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: user_id, group: user }
          - { name: show_id, group: content }
        labels:
          - { name: stream }
          - { name: click }
        """;

    private const string Good = """
        name: m
        architecture: mmoe
        experts: { count: 3, hidden: [16] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
          - { name: ad_stream, label: stream, sources: [ad] }
        masks:
          - { source: ad, tasks: [promo_stream], weight: 0 }
        """;

    private static DatasetConfig Data() => DatasetConfigLoader.Parse(Dataset, "d.yaml", "/tmp");

    private static ModelConfig Parse(string yaml) => ModelConfigLoader.Parse(yaml, "m.yaml", Data());

    [Fact]
    public void A_valid_config_builds_the_directional_mask_matrix()
    {
        var m = Parse(Good);
        Assert.Equal(Architecture.Mmoe, m.Architecture);
        var mask = m.MaskMatrix(["promotion", "ad"]);
        Assert.Equal(1f, mask[0, 0]);
        Assert.Equal(0f, mask[1, 0]);
        Assert.Equal(1f, mask[1, 1]);
        Assert.Equal(["ad"], m.Tasks[1].Sources);
    }

    [Theory]
    [InlineData("exclude_features: [nope]\n", "exclude_features[0]", "nope")]
    [InlineData("tasks:\n  - { name: t }\n", "tasks[0].label", "needs a label")]
    [InlineData("tasks:\n  - { name: t, label: purchase }\n", "tasks[0].label", "purchase")]
    [InlineData("tasks:\n  - { name: t, label: click }\nmasks:\n  - { source: ad, tasks: [ghost] }\n", "masks[0].tasks[0]", "ghost")]
    [InlineData("tasks:\n  - { name: t, label: click }\nmasks:\n  - { source: email, tasks: [t] }\n", "masks[0].source", "email")]
    [InlineData("encoder: { hidden: [64, 0] }\ntasks:\n  - { name: t, label: click }\n", "encoder.hidden[1]", "positive")]
    [InlineData("tasks:\n  - { name: t, label: click, tower: [0] }\n", "tasks[0].tower[0]", "positive")]
    [InlineData("experts: { count: 0 }\ntasks:\n  - { name: t, label: click }\n", "experts.count", "at least 1")]
    [InlineData("architecture: transformer\ntasks:\n  - { name: t, label: click }\n", "architecture", "transformer")]
    [InlineData("tasks:\n  - { name: t, label: click }\ntraining: { learning_rat: 0.1 }\n", "training.learning_rat", "unknown key")]
    [InlineData("tasks:\n  - { name: t, label: click }\nsampling: { shares: { promotion: 0.7, ad: 0.7 } }\n", "sampling.shares", "add up to 1")]
    [InlineData("tasks:\n  - { name: t, label: click, slots: [midroll] }\n", "tasks[0].slots", "no analysis.slot column")]
    [InlineData("tasks:\n  - { name: t, label: click, content_types: [music] }\n", "tasks[0].content_types", "no analysis.content_type column")]
    [InlineData("tasks:\n  - { name: t, label: click }\nid_dropout: { user_id: 1.0 }\n", "id_dropout.user_id", "[0, 1)")]
    [InlineData("tasks:\n  - { name: t, label: click }\nid_dropout: { nope: 0.1 }\n", "id_dropout.nope", "unknown feature")]
    [InlineData("tasks:\n  - { name: t, label: click }\ntraining: { device: gpu }\n", "training.device", "expected cpu, cuda or cuda:N (a device index), got 'gpu'")]
    [InlineData("tasks:\n  - { name: t, label: click }\ntraining: { device: \"cuda:x\" }\n", "training.device", "got 'cuda:x'")]
    public void Bad_model_configs_name_the_offending_key(string yaml, string key, string detail)
    {
        var e = Assert.Throws<BadInputException>(() => Parse(yaml));
        Assert.Contains("m.yaml", e.Message);
        Assert.Contains(key, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Theory]
    [InlineData("", "cpu")]
    [InlineData("training: { device: cpu }\n", "cpu")]
    [InlineData("training: { device: cuda }\n", "cuda")]
    [InlineData("training: { device: \"cuda:1\" }\n", "cuda:1")]
    public void Training_device_is_read_and_defaults_to_the_cpu(string training, string device) =>
        Assert.Equal(device, Parse("tasks:\n  - { name: t, label: click }\n" + training).Training.Device);

    [Fact]
    public void Task_scopes_read_modalities_slots_and_content_types_and_turn_adaptive_masking_on()
    {
        var data = DatasetConfigLoader.Parse(Dataset + "\nanalysis: { modality: m, slot: s, content_type: c }\n", "d.yaml", "/tmp");
        var model = ModelConfigLoader.Parse("""
            tasks:
              - { name: all, label: stream }
              - { name: music_audio, label: stream, sources: [ad], modalities: [audio], content_types: [music] }
              - { name: breaks, label: stream, sources: [ad], slots: [break, takeover] }
            """, "m.yaml", data);
        Assert.True(model.Tasks[0].Scope.IsAll);
        Assert.Equal(["audio"], model.Tasks[1].Scope[TaskScope.Modality]);
        Assert.Equal(["music"], model.Tasks[1].Scope[TaskScope.ContentType]);
        Assert.Empty(model.Tasks[1].Scope[TaskScope.Slot]);
        Assert.Equal("slot=break|takeover", model.Tasks[2].Scope.ToString());
        Assert.True(model.AdaptiveMasking);
        Assert.False(ModelConfigLoader.Parse("tasks:\n  - { name: t, label: click, slots: [a] }\nadaptive_masking: false\n", "m.yaml", data).AdaptiveMasking);
        Assert.False(Parse(Good).AdaptiveMasking);
    }

    [Fact]
    public void A_scope_covers_another_only_when_it_admits_every_row_of_it()
    {
        var audio = TaskScope.Of(TaskScope.Modality, "audio");
        var audioMusic = new TaskScope(new Dictionary<string, IReadOnlyList<string>>
        {
            [TaskScope.Modality] = ["audio"],
            [TaskScope.ContentType] = ["music"],
        });
        Assert.True(TaskScope.All.Covers(audio));
        Assert.True(audio.Covers(audioMusic));
        Assert.False(audioMusic.Covers(audio));
        Assert.False(audio.Covers(TaskScope.All));
        Assert.False(audio.Covers(TaskScope.Of(TaskScope.Modality, "audio", "video")));
        Assert.True(TaskScope.Of(TaskScope.Modality, "video", "audio").Covers(audio));
        Assert.Equal(TaskScope.Of(TaskScope.Slot, "a", "b"), TaskScope.Of(TaskScope.Slot, "b", "a", "b"));
        Assert.NotEqual(TaskScope.Of(TaskScope.Slot, "a"), TaskScope.Of(TaskScope.ContentType, "a"));

        var rows = new Dictionary<string, string?[]> { [TaskScope.Modality] = ["audio", "video", null], [TaskScope.ContentType] = ["music", "music", "music"] };
        Assert.Equal(new[] { true, false, false }, Enumerable.Range(0, 3).Select(i => audioMusic.Admits(rows, i)));
        Assert.True(TaskScope.All.Admits(rows, 2));
        Assert.False(TaskScope.Of(TaskScope.Slot, "x").Admits(rows, 0)); // the rows carry no slot at all
    }

    [Fact]
    public void Each_architecture_gets_its_own_options_from_the_one_experts_block()
    {
        const string Tasks = "tasks:\n  - { name: t, label: click }\n";
        const string Experts = "experts: { count: 3, hidden: [16, 8], cross_layers: 3, low_rank: 4, levels: 2, task_experts: 2 }\n";

        var bottom = Parse("encoder: { hidden: [32, 16] }\n" + Experts + Tasks);
        Assert.Equal([32, 16], bottom.Bottom.Hidden);
        Assert.Null(bottom.Moe);
        Assert.Null(bottom.Ple);

        var mmoe = Parse("architecture: mmoe\n" + Experts + Tasks);
        Assert.Null(mmoe.Ple);
        Assert.Equal(3, mmoe.Moe!.Count);
        Assert.Equal([16, 8], mmoe.Moe.Expert.Hidden);
        Assert.Null(mmoe.Moe.Expert.Dcn); // cross-layer keys alone do not make DCN experts
        Assert.False(mmoe.Moe.GatePerGroup);

        var camoe = Parse("architecture: camoe\n" + Experts + Tasks);
        Assert.Equal(ExpertKind.Dcn, camoe.Moe!.Expert.Kind);
        Assert.Equal(3, camoe.Moe.Expert.Dcn!.CrossLayers);
        Assert.Equal(4, camoe.Moe.Expert.Dcn.LowRank);
        Assert.True(camoe.Moe.GatePerGroup);

        var dcnExperts = Experts.Replace("count: 3,", "count: 3, kind: dcn,", StringComparison.Ordinal);
        Assert.NotEqual(Experts, dcnExperts); // the edit took
        var ple = Parse("architecture: ple\n" + dcnExperts + Tasks);
        Assert.Null(ple.Moe);
        Assert.Equal((3, 2, 2), (ple.Ple!.SharedExperts, ple.Ple.TaskExperts, ple.Ple.Levels));
        Assert.Equal(ExpertKind.Dcn, ple.Ple.Expert.Kind);
    }

    [Fact]
    public void Option_records_reject_invalid_values_when_built_and_when_copied()
    {
        var expert = new ExpertSpec([8]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpertSpec([8, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BottomSpec([0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcnSpec(crossLayers: 0, lowRank: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DcnSpec(crossLayers: 2, lowRank: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoeSpec(0, expert, gatePerGroup: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PleSpec(sharedExperts: 2, taskExperts: 1, levels: 9, expert));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MoeSpec(2, expert, gatePerGroup: false) with { Count = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PleSpec(2, 1, 1, expert) with { TaskExperts = 0 });
    }
}
