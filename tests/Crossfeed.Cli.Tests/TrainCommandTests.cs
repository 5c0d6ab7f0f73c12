using System.Text.Json.Nodes;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;

namespace Crossfeed.Cli.Tests;

public class TrainCommandTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    [Theory]
    [InlineData("podcast-joint.yaml")]
    [InlineData("podcast-promo-only.yaml")]
    [InlineData("podcast-ads-only.yaml")]
    [InlineData("camoe.yaml")]
    public void Shipped_configs_train_on_a_simulated_world_and_write_a_verified_bundle(string config)
    {
        var bundle = world.Temp("bundle");
        var (code, stdout, err) = Cli.Run("train", "--config", world.QuickConfig(config), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        Assert.Contains("validation AP per epoch", stdout);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")))!.AsObject();
        Assert.Equal(Bundle.FormatVersion, manifest["format_version"]!.GetValue<int>());
        foreach (var (file, sha) in manifest["files"]!.AsObject())
            Assert.Equal(sha!.GetValue<string>(), Bundle.Sha256(Path.Combine(bundle, file)));
        Assert.False(Directory.Exists(bundle + ".checkpoint"), "the checkpoint folder is removed once the bundle is written");
        var scopes = manifest["tasks"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["scope"]!.ToJsonString());
        if (config == "camoe.yaml") Assert.Equal("""{"modality":["video"]}""", scopes["video_ad_stream"]);
        Assert.Equal("{}", scopes.First().Value); // the first task of every shipped config reads every row of its sources
    }

    [Fact]
    public void A_saved_bundle_loads_and_scores_exactly_as_the_trained_model()
    {
        var dataset = DatasetConfigLoader.Load(world.Dataset);
        var model = ModelConfigLoader.Load(world.QuickConfig("podcast-joint.yaml"), dataset);
        var data = DatasetLoader.Load(dataset);
        using var result = Trainer.Fit(model, dataset, data.Train, data.Val, data.Preprocessor, new TrainOptions());
        var before = result.Predict(data.Test);
        var dir = world.Temp("bundle");
        Bundle.Save(dir, result);
        using var loaded = Bundle.Load(dir);
        var test = DatasetLoader.Encode(loaded.Dataset, loaded.Preprocessor, SplitName.Test);
        var after = loaded.Predict(test);
        for (int t = 0; t < before.Length; t++) Assert.Equal(before[t], after[t]);
    }

    [Fact]
    public void A_bundle_with_a_changed_file_is_refused_with_exit_2()
    {
        var bundle = world.Temp("bundle");
        Assert.Equal(0, Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 5), "--data", world.Dataset, "--out", bundle).Code);
        using (var f = File.OpenWrite(Path.Combine(bundle, "weights.bin")))
        {
            f.Seek(-3, SeekOrigin.End);
            f.WriteByte(0x42);
        }
        var (code, _, err) = Cli.Run("finetune", "--model", bundle, "--config", world.QuickConfig("podcast-finetune-ad-follow.yaml"), "--out", world.Temp("ft"));
        Assert.Equal(2, code);
        Assert.Contains("weights.bin", err);
        Assert.Contains("checksum", err);
    }

    [Fact]
    public void Zero_shot_finetune_copies_a_head_and_leaves_the_bundles_heads_unchanged()
    {
        var bundle = world.Temp("bundle");
        var (code, trained, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml"), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        var config = File.ReadAllText(world.QuickConfig("podcast-finetune-ad-follow.yaml")).Edit(
            "init_from: { ad_follow: follow }", "init_from: { ad_follow: follow }\n  zero_shot: true");
        var path = world.Temp("zs.yaml");
        File.WriteAllText(path, config);
        var (ftCode, ftOut, ftErr) = Cli.Run("finetune", "--model", bundle, "--config", path, "--out", world.Temp("zs"));
        Assert.True(ftCode == 0, ftErr);
        Assert.Contains("zero-shot", ftOut);
        // The joint bundle's best-epoch validation APs reappear unchanged for its own heads.
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")))!;
        var history = manifest["training"]!["history"]!.AsArray();
        var best = history[manifest["training"]!["best_epoch"]!.GetValue<int>() - 1]!["ValAp"]!["promo_stream"]!.GetValue<double>();
        Assert.Contains(best.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), ftOut);
        Assert.Contains("ad_follow", ftOut);
        _ = trained;
    }

    [Fact]
    public void Finetune_with_a_frozen_encoder_trains_only_the_new_head()
    {
        var bundle = world.Temp("bundle");
        Assert.Equal(0, Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml"), "--data", world.Dataset, "--out", bundle).Code);
        var tuned = world.Temp("ft");
        var (code, _, err) = Cli.Run("finetune", "--model", bundle, "--config", world.QuickConfig("podcast-finetune-ad-follow.yaml"), "--out", tuned);
        Assert.True(code == 0, err);
        using var a = Bundle.Load(bundle);
        using var b = Bundle.Load(tuned);
        var before = a.Network.state_dict();
        var after = b.Network.state_dict();
        foreach (var (name, t) in after)
        {
            if (!before.TryGetValue(name, out var old)) continue; // the new head
            Assert.True(old.equal(t).all().item<bool>(), $"{name} changed although the encoder is frozen");
        }
        // The new head started as a copy of the follow head, then trained: it differs from that copy.
        var origin = a.Network.Heads[a.Model.TaskIndex("follow")].state_dict();
        var head = b.Network.Heads[b.Model.TaskIndex("ad_follow")].state_dict();
        Assert.True(head.Any(kv => !kv.Value.equal(origin[kv.Key]).all().item<bool>()), "the new head did not train");
    }

    [Fact]
    public void A_dataset_naming_a_missing_column_makes_train_exit_2_naming_the_column()
    {
        var text = File.ReadAllText(world.Dataset).Edit("- { name: device, group: user,", "- { name: device, column: device_model, group: user,");
        var path = Path.Combine(world.World, "dataset-missing-column.yaml");
        File.WriteAllText(path, text);
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml"), "--data", path, "--out", world.Temp("b"));
        Assert.Equal(2, code);
        Assert.Contains("device_model", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Theory]
    [InlineData("- { name: click,        label: click,", "- { name: click,        label: purchase,", "tasks[2].label")]
    [InlineData("hidden: [256, 128]", "hidden: [256, 0]", "encoder.hidden[1]")]
    [InlineData("- { source: ad, tasks: [promo_stream], weight: 0 }", "- { source: ad, tasks: [promo], weight: 0 }", "masks[0].tasks[0]")]
    [InlineData("- { source: ad, tasks: [promo_stream], weight: 0 }", "- { source: email, tasks: [promo_stream], weight: 0 }", "masks[0].source")]
    [InlineData("architecture: shared_bottom", "architecture: mmoe\nexperts: { count: 0 }", "experts.count")]
    [InlineData("exclude_features: [user_id]", "exclude_features: [podcast_id]", "exclude_features[0]")]
    public void Bad_model_configs_make_train_exit_2_naming_the_key(string find, string replace, string key)
    {
        var text = File.ReadAllText(world.QuickConfig("podcast-joint.yaml"));
        var path = world.Temp("bad.yaml");
        File.WriteAllText(path, text.Edit(find, replace));
        var (code, _, err) = Cli.Run("train", "--config", path, "--data", world.Dataset, "--out", world.Temp("b"));
        Assert.Equal(2, code);
        Assert.Contains(key, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Simulate_set_changes_a_knob_and_records_it_in_world_json()
    {
        var dir = world.Temp("knobs");
        var (code, output, err) = Cli.Run("simulate", "--out", dir, "--impressions", "20000", "--set", "AdStreamRate=0.004", "--set", "CreativeStreamEffectSd=0.9");
        Assert.True(code == 0, err);
        Assert.Contains("knobs set: AdStreamRate=0.004, CreativeStreamEffectSd=0.9", output);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "world.json")));
        var config = doc.RootElement.GetProperty("config");
        Assert.Equal(0.004, config.GetProperty("ad_stream_rate").GetDouble());
        Assert.Equal(0.9, config.GetProperty("creative_stream_effect_sd").GetDouble());
        Assert.Equal(20000, config.GetProperty("impressions").GetInt64());
    }

    [Fact]
    public void Unknown_options_and_missing_required_options_exit_2()
    {
        Assert.Equal(2, Cli.Run("train", "--config", "x.yaml").Code);
        Assert.Equal(2, Cli.Run("simulate", "--out", world.Temp("w"), "--scenario", "mars").Code);
        var (code, _, err) = Cli.Run("simulate", "--out", world.Temp("w"), "--set", "AdStreamRat=0.01");
        Assert.Equal(2, code);
        Assert.Contains("unknown knob 'AdStreamRat'", err);
        Assert.Equal(2, Cli.Run("frobnicate").Code);
        Assert.Equal(0, Cli.Run("--help").Code);
    }

    [Fact]
    public void Training_on_cuda_without_a_cuda_device_is_refused_with_exit_2_naming_the_setting()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // a GPU machine trains there instead (untested: no CUDA runtime is served here)
        var config = world.QuickConfig("podcast-joint.yaml", steps: 5);
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(config), @"(?m)^training:\s*$", "training:\n  device: cuda"));
        Assert.Contains("device: cuda", File.ReadAllText(config), StringComparison.Ordinal); // the edit took

        var bundle = world.Temp("on-cuda");
        var (code, _, err) = Cli.Run("train", "--config", config, "--data", world.Dataset, "--out", bundle);
        Assert.Equal(2, code);
        Assert.Contains("training.device: cuda: TorchSharp sees no CUDA device", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bundle));
    }

    [Fact]
    public void Absurd_learning_rates_stop_training_with_exit_1_and_one_line_naming_step_epoch_and_task()
    {
        var config = world.QuickConfig("podcast-joint.yaml", steps: 200);
        var text = File.ReadAllText(config);
        var absurd = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^(\s*)(embedding_)?learning_rate: .*$", "$1$2learning_rate: 1e30");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(absurd, @"learning_rate: 1e30").Count); // the edit took
        File.WriteAllText(config, absurd);

        var bundle = world.Temp("diverged");
        var (code, _, err) = Cli.Run("train", "--config", config, "--data", world.Dataset, "--out", bundle);
        Assert.Equal(1, code);
        var errors = err.Split('\n').Where(l => l.StartsWith("crossfeed:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.Matches(@"^crossfeed: training stopped at step \d+ \(epoch 1\): (task '\w+' has a non-finite loss|the gradient of the summed loss of tasks .+ is not finite)", line);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bundle));
    }
}

public class BadDataTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"crossfeed-bad-{Guid.NewGuid():N}");

    public BadDataTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Dataset = """
        name: tiny-csv
        input: { path: data.csv }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 2 }, val: { from: 2, to: 3 }, test: { from: 3, to: 4 } }
        features:
          - { name: show_id, group: content }
          - { name: minutes, group: user, kind: numeric }
        labels:
          - { name: stream }
        """;

    private const string Model = """
        name: m
        tasks:
          - { name: stream, label: stream }
        training: { epochs: 1, batch_size: 4 }
        """;

    [Theory]
    [InlineData("promotion,1,2,0.5,1", "promotion,1,2,0.5,7", "column 'stream', row 3")]
    [InlineData("promotion,1,2,0.5,1", "podcast,1,2,0.5,1", "column 'source', row 3")]
    [InlineData("promotion,1,2,0.5,1", "promotion,1,2,inf,1", "column 'minutes', row 3")]
    [InlineData("ad,3,3,0.1,0", "ad,1,3,0.1,0", "split 'test' has no rows")]
    public void Bad_rows_make_train_exit_2_with_one_line_naming_file_column_and_row(string find, string replace, string expected)
    {
        var rows = "source,day,show_id,minutes,stream\nad,0,1,0.2,0\nad,1,2,0.1,1\npromotion,1,2,0.5,1\nad,2,3,0.3,0\nad,3,3,0.1,0\n";
        Assert.Contains(find, rows);
        File.WriteAllText(Path.Combine(_dir, "data.csv"), rows.Replace(find, replace, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, "dataset.yaml"), Dataset);
        File.WriteAllText(Path.Combine(_dir, "model.yaml"), Model);
        var (code, _, err) = Cli.Run("train", "--config", Path.Combine(_dir, "model.yaml"), "--data", Path.Combine(_dir, "dataset.yaml"), "--out", Path.Combine(_dir, "b"));
        Assert.Equal(2, code);
        Assert.Contains("data.csv", err);
        Assert.Contains(expected, err);
        // Progress lines may precede it; the error itself is one line.
        Assert.Single(err.Split('\n'), line => line.StartsWith("crossfeed:", StringComparison.Ordinal));
    }
}
