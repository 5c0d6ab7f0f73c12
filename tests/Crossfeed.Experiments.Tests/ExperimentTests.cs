using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Evaluation.Metrics;
using Crossfeed.Evaluation.Tests;

namespace Crossfeed.Experiments.Tests;

public sealed class ExperimentSuiteTests(ExperimentWorld world) : IClassFixture<ExperimentWorld>
{
    private ExperimentSuite Build(string name) => Suites.Build(name, world.Dataset, world.ConfigsDir);

    private static ModelConfig Config(ExperimentSuite suite, string variant) =>
        ((ModelVariant)suite.Variants.Single(v => v.Name == variant)).Model;

    [Fact]
    public void Registry_lists_all_nine_suites()
    {
        Assert.Equal(
            ["paper-table1", "masking", "balance", "ancillary", "feature-groups", "architectures", "camoe", "balancing", "peers"],
            Suites.Names);
        foreach (var suite in Suites.All) Assert.False(string.IsNullOrWhiteSpace(suite.Description));
    }

    [Fact]
    public void Unknown_suite_name_is_bad_input()
    {
        var e = Assert.Throws<BadInputException>(() => Suites.Build("maskin", world.Dataset, world.ConfigsDir));
        Assert.Contains("unknown experiment 'maskin'", e.Message);
        Assert.Contains("masking", e.Message);
    }

    [Fact]
    public void Every_suite_builds_on_a_podcast_world_with_consistent_variants()
    {
        foreach (var name in Suites.Names)
        {
            var suite = Build(name);
            Assert.True(suite.Variants.Count >= 2, name);
            Assert.Equal(suite.Variants.Count, suite.Variants.Select(v => v.Name).Distinct().Count());
            foreach (var v in suite.Variants.OfType<ModelVariant>())
            {
                var m = v.Model;
                foreach (var (metric, heads) in v.Heads)
                {
                    Assert.Contains(suite.Metrics, x => x.Name == metric);
                    Assert.All(heads, head => Assert.True(m.TaskIndex(head) >= 0, $"{name}/{v.Name}: head {head}"));
                }
                Assert.All(m.Masks.SelectMany(r => r.Tasks), t => Assert.True(m.TaskIndex(t) >= 0, $"{name}/{v.Name}: mask task {t}"));
                Assert.All(m.Training.EarlyStoppingTasks, t => Assert.True(m.TaskIndex(t) >= 0, $"{name}/{v.Name}: early stopping {t}"));
                Assert.Equal(1.0, m.Sampling.Shares.Values.Sum(), 9);
            }
        }
    }

    [Fact]
    public void Masking_variants_have_directional_none_and_isolation_rules()
    {
        var suite = Build("masking");
        Assert.Equal(["directional", "none", "isolation"], suite.Variants.Select(v => v.Name));
        var directional = Config(suite, "directional");
        Assert.Contains(directional.Masks, r => r.Source == "ad" && r.Tasks.SequenceEqual(["promo_stream"]) && r.Weight == 0);
        Assert.Empty(Config(suite, "none").Masks);
        var isolation = Config(suite, "isolation");
        Assert.Contains(isolation.Masks, r => r.Source == "ad" && r.Tasks.Contains("promo_stream") && r.Weight == 0);
        Assert.Contains(isolation.Masks, r => r.Source == "promotion" && r.Tasks.SequenceEqual(["ad_stream"]) && r.Weight == 0);
        var m = isolation.MaskMatrix(world.Dataset.Source.Values);
        Assert.Equal(0f, m[world.Dataset.SourceIndex("promotion"), isolation.TaskIndex("ad_stream")]);
        Assert.Equal(0f, m[world.Dataset.SourceIndex("ad"), isolation.TaskIndex("promo_stream")]);
        Assert.Equal(1f, m[world.Dataset.SourceIndex("promotion"), isolation.TaskIndex("click")]);
    }

    [Fact]
    public void Camoe_regroups_the_modality_tasks_by_the_slots_and_content_types_of_the_training_rows()
    {
        var withoutData = Build("camoe");
        Assert.DoesNotContain(withoutData.Variants, v => v.Name is "group-by-slot" or "group-by-content-type");
        Assert.Contains(withoutData.Notes, n => n.StartsWith("group-by-slot left out", StringComparison.Ordinal));

        var suite = Suites.Build("camoe", world.Dataset, world.ConfigsDir, world.Data.Train);
        var bySlot = Config(suite, "group-by-slot");
        var scoped = bySlot.Tasks.Where(t => !t.Scope.IsAll).ToList();
        // camoe.yaml scopes stream and click tasks to audio and video; the world's audio and video ads sit in {audio,video}-{pre,mid}
        Assert.Equal(["audio-mid", "audio-pre", "video-mid", "video-pre"], scoped.Select(t => t.Scope[TaskScope.Slot].Single()).Distinct().Order());
        Assert.Equal(1 + 4 * 2, bySlot.Tasks.Count);
        Assert.All(scoped, t => Assert.Equal(t.Scope[TaskScope.Slot].Single(), t.Group));
        var clickMask = bySlot.Masks.Single(r => r.Source == "promotion");
        Assert.Equal(["audio-mid_click", "audio-pre_click", "video-mid_click", "video-pre_click"], clickMask.Tasks.Order());
        Assert.Equal(["audio-mid_stream", "audio-pre_stream", "video-mid_stream", "video-pre_stream"], bySlot.Training.EarlyStoppingTasks.Order());

        var byContent = Config(suite, "group-by-content-type");
        Assert.Equal(["promo_stream", "podcast_stream", "music_stream", "podcast_click", "music_click"], byContent.Tasks.Select(t => t.Name));
        var heads = ((ModelVariant)suite.Variants.Single(v => v.Name == "group-by-content-type")).Heads;
        Assert.Equal(["podcast_stream", "music_stream"], heads["audio_ad_stream"]);
        Assert.Equal(["podcast_click", "music_click"], heads["video_ad_click"]);
        Assert.Equal(["promo_stream"], heads["promo_stream"]);
    }

    [Fact]
    public void Routed_heads_score_each_row_with_the_head_of_its_slot_and_report_rows_outside_all_of_them()
    {
        var suite = Suites.Build("camoe", world.Dataset, world.ConfigsDir, world.Data.Train);
        var variant = (ModelVariant)suite.Variants.Single(v => v.Name == "group-by-slot");
        var test = world.Data.Test;
        var metric = suite.Metrics.Single(m => m.Name == "video_ad_stream");
        var rows = metric.Rows(test, world.Dataset);
        var heads = variant.Heads[metric.Name].Select(variant.Model.TaskIndex).ToList();
        var routing = HeadRouter.Route(variant.Model, heads, test, rows);
        Assert.Null(routing.Problem);
        var routed = routing.Task;
        var slot = test.AnalysisText[TaskScope.Slot];
        Assert.Equal(rows.Select(r => slot[r] + "_stream"), routed.Select(t => variant.Model.Tasks[t].Name));
        Assert.Contains(routed, t => variant.Model.Tasks[t].Name == "video-pre_stream");
        Assert.Contains(routed, t => variant.Model.Tasks[t].Name == "video-mid_stream");

        var promotions = suite.Metrics.Single(m => m.Name == "promo_stream").Rows(test, world.Dataset);
        var outside = HeadRouter.Route(variant.Model, heads, test, promotions);
        Assert.Equal(promotions.Length, outside.Unrouted);
        Assert.All(outside.Task, t => Assert.Equal(-1, t));
        Assert.Contains($"{promotions.Length:N0} of {promotions.Length:N0} rows of the test split are outside the scope of every head", outside.Problem);
        Assert.Contains($"e.g. row {promotions[0]}", outside.Problem);
    }

    [Fact]
    public void Only_keeps_the_baseline_and_the_named_variants_and_rejects_unknown_names()
    {
        Assert.Equal(["directional", "isolation"], Build("masking").Only(["isolation"]).Variants.Select(v => v.Name));
        var e = Assert.Throws<BadInputException>(() => Build("masking").Only(["isolaton"]));
        Assert.Contains("no variant 'isolaton'", e.Message);
        Assert.Contains("directional, none, isolation", e.Message);
    }

    [Fact]
    public void Balance_shares_sum_to_one_and_cover_25_50_75()
    {
        var suite = Build("balance");
        var promo = suite.Variants.OfType<ModelVariant>().Select(v => v.Model.Sampling.Shares["promotion"]).ToList();
        Assert.Equal([0.5, 0.25, 0.75], promo);
        foreach (var v in suite.Variants.OfType<ModelVariant>())
        {
            Assert.Equal(1.0, v.Model.Sampling.Shares.Values.Sum(), 12);
            Assert.Equal(SamplingMode.Balanced, v.Model.Sampling.Mode);
        }
    }

    [Fact]
    public void Paper_table1_baseline_scores_ads_with_its_promotion_head()
    {
        var suite = Build("paper-table1");
        Assert.Equal(["promo-only", "ads-only", "promo-stream-head", "ad-stream-head", "ad-stream+ancillary", "joint"], suite.Variants.Select(v => v.Name));
        var baseline = (ModelVariant)suite.Baseline;
        Assert.Equal(["promo_stream"], baseline.Heads["ad_stream"]);
        Assert.False(MetricHeads.Covers(baseline.Model.Tasks[baseline.Model.TaskIndex("promo_stream")], suite.Metrics.Single(m => m.Name == "ad_stream")));
        var adsOnly = Config(suite, "ads-only");
        Assert.Equal(["ad_stream"], adsOnly.Tasks.Select(t => t.Name));
        Assert.Equal(1.0, adsOnly.Sampling.Shares["ad"]);
        var joint = (ModelVariant)suite.Variants[^1];
        Assert.Equal(5, joint.Model.Tasks.Count);
        Assert.Equal(["ad_stream"], joint.Heads["ad_stream"]);
        var ancillary = Config(suite, "ad-stream+ancillary");
        Assert.Equal(["ad_stream", "click", "follow"], ancillary.Tasks.Select(t => t.Name));
        Assert.Empty(ancillary.Masks); // the directional rule names promo_stream only, which is gone
    }

    [Fact]
    public void Other_suites_derive_their_variants_from_the_shipped_configs()
    {
        var groups = Build("feature-groups");
        Assert.Equal(["all", "-user", "-content", "-context", "-creative", "-creative-ids", "creative-id-dropout"], groups.Variants.Select(v => v.Name));
        Assert.Equal(0.3, Config(groups, "creative-id-dropout").IdDropoutRates["campaign_id"]);
        Assert.Empty(Config(groups, "all").IdDropoutRates);
        var withoutIds = Config(groups, "-creative-ids");
        Assert.Contains(FeatureGroup.Creative, withoutIds.FeatureGroups);
        Assert.Contains("campaign_id", withoutIds.ExcludeFeatures);
        Assert.DoesNotContain("bid_cpm", withoutIds.ExcludeFeatures);
        Assert.DoesNotContain(FeatureGroup.Creative, Config(groups, "-creative").FeatureGroups);
        Assert.Equal(3, Config(groups, "-user").FeatureGroups.Count);

        var arch = Build("architectures");
        Assert.Equal([Architecture.SharedBottom, Architecture.Mmoe, Architecture.Ple, Architecture.Camoe],
            arch.Variants.OfType<ModelVariant>().Select(v => v.Model.Architecture));
        Assert.Equal(ExpertKind.Dcn, Config(arch, "camoe").Moe!.Expert.Kind);
        Assert.Equal(ExpertKind.Mlp, Config(arch, "mmoe").Moe!.Expert.Kind);

        var camoe = Build("camoe");
        Assert.Equal(ExpertKind.Dcn, Config(camoe, "dcn-experts").Moe!.Expert.Kind);
        Assert.Equal(ExpertKind.Mlp, Config(camoe, "mlp-experts").Moe!.Expert.Kind);
        Assert.False(Config(camoe, "no-adaptive-masking").AdaptiveMasking);
        Assert.True(Config(camoe, "dcn-experts").AdaptiveMasking);
        Assert.Equal(["stream", "click"], Config(camoe, "group-by-objective").Tasks.Select(t => t.Group).Distinct());
        Assert.Equal(["video_ad_stream"], ((ModelVariant)camoe.Baseline).Heads["video_ad_stream"]);

        var balancing = Build("balancing");
        Assert.Equal([LossBalancing.Fixed, LossBalancing.Uncertainty, LossBalancing.GradNorm, LossBalancing.PcGrad],
            balancing.Variants.OfType<ModelVariant>().Select(v => v.Model.Training.Balancing));
        Assert.NotEmpty(Config(balancing, "directional-fixed").Masks);
        Assert.Empty(Config(balancing, "pc-grad").Masks);

        var ancillary = Build("ancillary");
        Assert.Equal([["ad_stream"], ["ad_stream", "click"], ["ad_stream", "click", "like", "follow"]],
            ancillary.Variants.OfType<ModelVariant>().Select(v => v.Model.Tasks.Select(t => t.Name).ToArray()));

        var peers = Build("peers");
        Assert.IsType<ModelVariant>(peers.Baseline);
        Assert.Equal(2, peers.Variants.OfType<LightGbmVariant>().Count());
    }

    [Fact]
    public void Camoe_suite_without_modality_is_bad_input()
    {
        var yaml = ExperimentWorld.DatasetYamlWith(", modality: modality", "");
        var ds = DatasetConfigLoader.Parse(yaml, "no-modality.yaml", world.Dir);
        var e = Assert.Throws<BadInputException>(() => Suites.Build("camoe", ds, world.ConfigsDir));
        Assert.Contains("analysis.modality", e.Message);
    }

    [Fact]
    public void Podcast_suites_on_another_schema_are_bad_input_and_peers_fall_back_to_a_generic_joint_model()
    {
        var ds = DatasetConfigLoader.Parse("""
            name: other
            input: { path: x.csv }
            source: { column: site, values: ["1", "2"] }
            split: { column: day, fractions: { train: 0.7, val: 0.15, test: 0.15 } }
            features:
              - { name: item, group: content, kind: categorical, embedding_dim: 4 }
            labels:
              - { name: click }
              - { name: buy, sources: ["2"] }
            """, "other.yaml", world.Dir);
        var e = Assert.Throws<BadInputException>(() => Suites.Build("masking", ds, world.ConfigsDir));
        Assert.Contains("podcast schema", e.Message);
        var peers = Suites.Build("peers", ds, world.ConfigsDir);
        Assert.Equal(["click@1", "click@2", "buy"], peers.Metrics.Select(m => m.Name));
        Assert.Equal(["click", "buy"], ((ModelVariant)peers.Baseline).Model.Tasks.Select(t => t.Name));
    }
}

public sealed class ExperimentIntervalTests
{
    [Fact]
    public void Relative_change_is_a_percentage_of_the_baseline()
    {
        Assert.Equal(20, Intervals.RelativeChange(0.6, 0.5)!.Value, 9);
        Assert.Equal(-50, Intervals.RelativeChange(0.25, 0.5)!.Value, 9);
        Assert.Null(Intervals.RelativeChange(0.3, 0));
        Assert.Null(Intervals.RelativeChange(null, 0.5));
    }

    [Fact]
    public void Paired_bootstrap_interval_of_the_relative_change_is_taken_per_resample()
    {
        // Per resample: 20, 10, 40, 0 -> sorted 0, 10, 20, 40; 2.5% and 97.5% quantiles (nearest rank) are 0 and 40.
        double?[] variant = [0.6, 0.55, 0.7, 0.5];
        double?[] baseline = [0.5, 0.5, 0.5, 0.5];
        var ci = Intervals.PairedRelativeChange(variant, baseline)!.Value;
        Assert.Equal(0, ci.Low, 9);
        Assert.Equal(40, ci.High, 9);
        // Undefined on more than half of the resamples: no interval.
        Assert.Null(Intervals.PairedRelativeChange([0.6, null, null, null], [0.5, 0.5, 0.5, 0.5]));
    }

    [Fact]
    public void Interval_across_seeds_uses_the_student_t_quantile()
    {
        // Per seed: 0.5/0.4, 0.6/0.5, 0.7/0.5 -> +25%, +20%, +40%; mean 28.333, sd 10.408, t(2) = 4.303.
        var r = Intervals.RelativeChangeAcrossSeeds([0.5, 0.6, 0.7], [0.4, 0.5, 0.5])!.Value;
        var half = 4.303 * Math.Sqrt(325.0 / 3) / Math.Sqrt(3);
        Assert.Equal(85.0 / 3, r.Mean, 9);
        Assert.Equal(85.0 / 3 - half, r.Low, 9);
        Assert.Equal(85.0 / 3 + half, r.High, 9);
        Assert.Equal(1.96, Intervals.StudentT(1000), 2);
    }
}

public sealed class ExperimentRunTests(ExperimentWorld world) : IClassFixture<ExperimentWorld>
{
    [Fact]
    public void Quick_masking_run_writes_results_with_every_variant_and_finite_aps()
    {
        var suite = Suites.Build("masking", world.Dataset, world.ConfigsDir);
        var seen = new List<ExperimentProgress>();
        var result = ExperimentRunner.Run(suite, world.Data, new ExperimentOptions
        {
            Quick = true,
            QuickSteps = 15,
            BootstrapResamples = 40,
            ContinueOnError = false,
            Progress = new Collect(seen),
        });
        var outDir = Path.Combine(world.Dir, "masking-out");
        var (resultsPath, reportPath) = ExperimentReport.Write(result, outDir);
        Assert.True(File.Exists(reportPath));
        Assert.Equal(["report.md", "results.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order());

        var read = ExperimentReport.FromJson(File.ReadAllText(resultsPath));
        Assert.Equal("masking", read.Suite);
        Assert.Equal("directional", read.Baseline);
        Assert.Equal(["directional", "none", "isolation"], read.Variants.Select(v => v.Name));
        Assert.Equal(["promo_stream", "ad_stream", "ad_click"], read.Metrics.Select(m => m.Name));
        foreach (var m in read.Metrics) Assert.NotNull(m.OracleAp);
        foreach (var v in read.Variants)
        {
            Assert.Null(v.Error);
            Assert.True(v.TrainSeconds > 0);
            foreach (var m in read.Metrics)
            {
                var all = v.Metrics[m.Name].All!;
                Assert.True(all.Ap is { } ap && double.IsFinite(ap) && ap > 0 && ap <= 1, $"{v.Name}/{m.Name}");
                Assert.True(all.ApLow is { } lo && all.ApHigh is { } hi && lo <= hi, $"{v.Name}/{m.Name} CI");
                Assert.NotEmpty(v.Metrics[m.Name].ByTier);
                Assert.NotNull(v.Metrics[m.Name].LessStreamed);
                if (v.Name == read.Baseline) Assert.Null(all.RelChangePct);
                else
                {
                    var baseAp = read.Variants[0].Metrics[m.Name].All!.Ap!.Value;
                    // Undo the percentage instead of recomputing it: baseline AP * (1 + change / 100) must give the variant's AP.
                    Assert.Equal(all.Ap!.Value, baseAp * (1 + all.RelChangePct!.Value / 100), 9);
                    Assert.Equal(all.Ap!.Value > baseAp, all.RelChangePct!.Value > 0);
                    Assert.NotNull(all.RelChangeLow);
                    Assert.True(all.RelChangeLow <= all.RelChangeHigh);
                }
            }
        }
        Assert.Contains("| variant | promo_stream | ad_stream | ad_click | train s |", File.ReadAllText(reportPath));
        Assert.Contains(seen, p => p.Fraction >= 0.99);
        Assert.True(seen.Select(p => p.Fraction).Zip(seen.Select(p => p.Fraction).Skip(1)).All(x => x.Second >= x.First - 1e-9));
    }

    [Fact]
    public void Quick_camoe_run_scores_modality_metrics_through_the_slot_heads()
    {
        var full = Suites.Build("camoe", world.Dataset, world.ConfigsDir, world.Data.Train);
        var suite = full with { Variants = full.Variants.Where(v => v.Name is "dcn-experts" or "group-by-slot").ToList() };
        var result = ExperimentRunner.Run(suite, world.Data, new ExperimentOptions
        {
            Quick = true,
            QuickSteps = 10,
            BootstrapResamples = 20,
            ContinueOnError = false,
        });
        var bySlot = result.Variant("group-by-slot")!;
        Assert.Null(bySlot.Error);
        var audio = bySlot.Metrics["audio_ad_stream"];
        Assert.Equal(["audio-mid_stream", "audio-pre_stream"], audio.Head!.Split(" + ").Order());
        Assert.False(audio.BorrowedHead);
        foreach (var m in result.Metrics)
            Assert.True(bySlot.Metrics[m.Name].All!.Ap is { } ap && double.IsFinite(ap) && ap > 0, m.Name);
        Assert.Equal("modality=audio", result.Metrics.Single(m => m.Name == "audio_ad_stream").Scope);
    }

    [Fact]
    public void A_metric_without_test_rows_is_bad_input()
    {
        var suite = Suites.Build("masking", world.Dataset, world.ConfigsDir);
        var bad = suite with { Metrics = [new ExperimentMetric("video_like", "like", "ad", TaskScope.Of(TaskScope.Modality, "video"))] };
        var e = Assert.Throws<BadInputException>(() => ExperimentRunner.Run(bad, world.Data));
        Assert.Contains("video_like", e.Message);
    }

    [Fact]
    public void LightGbm_peer_learns_the_synthetic_signal()
    {
        var metric = new ExperimentMetric("promo_stream", "stream", "promotion");
        var all = new[] { world.Data.Train, world.Data.Val, world.Data.Test };
        var options = new LightGbmPeerOptions { Iterations = 60, EarlyStoppingRounds = 10 };
        var groups = Enum.GetValues<FeatureGroup>();
        var peer = LightGbmPeer.Fit(metric, world.Dataset, world.Data.Train, world.Data.Val, groups, ["user_id"], options, all);
        Assert.Null(peer.Note);
        Assert.NotNull(peer.Model);
        Assert.True(peer.Iterations > 0);
        Assert.NotEmpty(peer.Features.CategoricalRanges());
        Assert.True(peer.CategoricalSplits > 0, "LightGBM used the categorical slot ranges");
        Assert.Contains(peer.Features.Description, d => d.Contains("occurrences of show_id"));

        var rows = metric.Rows(world.Data.Test, world.Dataset);
        var scores = LightGbmPeer.Score(peer, world.Data.Test, rows);
        var labels = rows.Select(r => world.Data.Test.Labels["stream"][r]).ToArray();
        Assert.All(scores, s => Assert.InRange(s, 0f, 1f));
        var ap = BinaryMetrics.AveragePrecision(scores, labels)!.Value;
        var baseRate = labels.Average();
        Assert.True(ap > 1.5 * baseRate, $"AP {ap:F3} vs base rate {baseRate:F3}");

        // Rows come out sparse with ascending slots inside the declared width.
        var (idx, _) = peer.Features.Row(world.Data.Test, rows[0]);
        Assert.True(idx.Zip(idx.Skip(1)).All(p => p.First < p.Second));
        Assert.True(idx[^1] < peer.Features.Width);
    }

    [Fact]
    public void Peers_run_on_the_ali_ccp_sample_and_say_it_supports_no_conclusion()
    {
        var configs = Suites.FindConfigsDir();
        var dataset = DatasetConfigLoader.Load(Path.Combine(configs, "ali-ccp-sample.yaml"));
        var suite = Suites.Build("peers", dataset, configs);
        var data = ExperimentData.From(Crossfeed.Data.DatasetLoader.Load(dataset));
        var result = ExperimentRunner.Run(suite, data, new ExperimentOptions { Quick = true, QuickSteps = 5, BootstrapResamples = 20, ContinueOnError = false });
        Assert.Equal(["joint", "joint-standardize", "joint-quantile-bins", "joint-piecewise-linear", "mmoe", "camoe", "lightgbm", "lightgbm-pooled"],
                     result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.Null(v.Error));
        Assert.Contains(result.Notes, n => n.Contains("support no conclusion"));
        Assert.NotEmpty(result.Metrics);
        Assert.All(result.Variants, v => Assert.Empty(v.Metrics.Values.SelectMany(m => m.ByTier.Values)));
        Assert.Contains("| variant |", ExperimentReport.Markdown(result));
    }

    private sealed class Collect(List<ExperimentProgress> seen) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => seen.Add(value);
    }
}
