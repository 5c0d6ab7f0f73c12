using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Evaluation.Experiments;

/// <summary>
/// The named suites of DESIGN.md section 8. Each is built from a shipped config in configs/ by
/// <c>with</c> expressions, checked against the dataset first (a dataset lacking what a suite needs
/// is a <see cref="BadInputException"/>, CLI exit 2). Suites and variants are documented in docs/experiments.md.
/// </summary>
public static class SuiteRegistry
{
    public static IReadOnlyList<string> Names { get; } =
        ["paper-table1", "masking", "balance", "ancillary", "feature-groups", "architectures", "camoe", "balancing", "peers"];

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["paper-table1"] = "WSDM 2026 Table 1: promotions-only baseline vs single-task ads, single heads, ads + ancillary heads and the joint 5-task model",
        ["masking"] = "directional loss masking vs no masking vs full isolation (joint model)",
        ["balance"] = "promotion:ad shares of each balanced batch: 25/75, 50/50, 75/25 (joint model)",
        ["ancillary"] = "ad_stream alone vs + click vs + click, like, follow (joint data and masks)",
        ["feature-groups"] = "all feature groups vs without user, content, context or creative; the creative ids left out or trained with id dropout (joint model)",
        ["architectures"] = "shared-bottom vs MMoE vs PLE vs CAMoE (joint tasks and masks)",
        ["camoe"] = "CAMoE ablations: DCN vs MLP experts, adaptive masking on/off, task grouping (camoe scenario)",
        ["balancing"] = "directional masking with fixed weights vs no masking with uncertainty weighting, GradNorm, PCGrad",
        ["peers"] = "the joint model vs one ML.NET LightGBM per metric on the same splits and features",
    };

    private static readonly string[] PodcastLabels = ["stream", "click", "like", "follow"];

    public static string Describe(string name) =>
        Descriptions.TryGetValue(name, out var d) ? d : throw Unknown(name);

    /// <summary>
    /// Builds a suite for a dataset. <paramref name="configsDir"/> defaults to the repository's configs/ folder.
    /// <paramref name="train"/> (the training split) lets the camoe suite group tasks by the slots and content
    /// types it holds; without it those variants are left out with a note.
    /// </summary>
    public static ExperimentSuite Build(string name, DatasetConfig dataset, string? configsDir = null, EncodedSplit? train = null)
    {
        if (!Descriptions.ContainsKey(name)) throw Unknown(name);
        var dir = configsDir ?? FindConfigsDir();
        return name switch
        {
            "paper-table1" => PaperTable1(dataset, dir),
            "masking" => Masking(dataset, dir),
            "balance" => Balance(dataset, dir),
            "ancillary" => Ancillary(dataset, dir),
            "feature-groups" => FeatureGroups(dataset, dir),
            "architectures" => Architectures(dataset, dir),
            "camoe" => Camoe(dataset, dir, train),
            "balancing" => Balancing(dataset, dir),
            _ => Peers(dataset, dir),
        };
    }

    private static BadInputException Unknown(string name) =>
        new($"unknown experiment '{name}' (suites: {string.Join(", ", Names)})");

    /// <summary>The repository's configs/ folder, found from the executable's location upwards, then from the working directory.</summary>
    public static string FindConfigsDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "configs");
                if (File.Exists(Path.Combine(candidate, "podcast-joint.yaml"))) return candidate;
            }
        }
        throw new BadInputException("cannot find the configs/ folder with podcast-joint.yaml; run from the repository");
    }

    // ---- metrics

    private static ExperimentMetric PromoStream => new("promo_stream", "stream", "promotion");

    private static ExperimentMetric AdStream => new("ad_stream", "stream", "ad");

    private static ExperimentMetric AdClick => new("ad_click", "click", "ad");

    private static ExperimentMetric[] Standard => [PromoStream, AdStream, AdClick];

    // ---- suites

    private static ExperimentSuite PaperTable1(DatasetConfig ds, string dir)
    {
        RequirePodcast("paper-table1", ds);
        var metrics = new[] { PromoStream, AdStream };
        var promoOnly = Load(dir, "podcast-promo-only.yaml", ds);
        var adsOnly = Derive.KeepTasks(Load(dir, "podcast-ads-only.yaml", ds), "ad_stream");
        var joint = Load(dir, "podcast-joint.yaml", ds);
        return new ExperimentSuite("paper-table1", Describe("paper-table1"), metrics,
        [
            Model("promo-only", "promotions-only baseline (podcast-promo-only.yaml); its promo_stream head also scores ads", promoOnly, metrics),
            Model("ads-only", "single-task ads: ad_stream alone, trained on ads alone (podcast-ads-only.yaml without click); its head also scores promotions", adsOnly, metrics),
            Model("promo-stream-head", "joint data and masks, promo_stream head only (directional: ads never update it)",
                Derive.KeepTasks(joint, "promo_stream"), metrics),
            Model("ad-stream-head", "joint data and masks, ad_stream head only (learns from both sources); it also scores promotions",
                Derive.KeepTasks(joint, "ad_stream"), metrics),
            Model("ad-stream+ancillary", "joint data and masks, ad_stream + click + follow heads",
                Derive.KeepTasks(joint, "ad_stream", "click", "follow"), metrics),
            Model("joint", "the joint 5-task model (podcast-joint.yaml)", joint, metrics),
        ],
        ["Rows 3-6 keep a subset of the joint model's heads with its data (50/50 batches) and masks; a model without a head for a metric scores it with the head of the same label (marked borrowed)."]);
    }

    private static ExperimentSuite Masking(DatasetConfig ds, string dir)
    {
        RequirePodcast("masking", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        return new ExperimentSuite("masking", Describe("masking"), Standard,
        [
            Model("directional", "ad impressions never update promo_stream (podcast-joint.yaml)", joint, Standard),
            Model("none", "no mask rule: every source teaches every task", joint with { Masks = [] }, Standard),
            Model("isolation", "directional + promotion impressions never update ad_stream",
                Derive.AddMask(joint, "promotion", 0, "ad_stream"), Standard),
        ], []);
    }

    private static ExperimentSuite Balance(DatasetConfig ds, string dir)
    {
        RequirePodcast("balance", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        var metrics = new[] { PromoStream, AdStream };
        ExperimentVariant Shares(double promo) =>
            Model(string.Create(CultureInfo.InvariantCulture, $"promo{promo * 100:F0}-ad{(1 - promo) * 100:F0}"),
                  string.Create(CultureInfo.InvariantCulture, $"balanced batches: {promo:P0} promotions, {1 - promo:P0} ads"),
                  Derive.Shares(joint, new Dictionary<string, double> { ["promotion"] = promo, ["ad"] = 1 - promo }), metrics);
        return new ExperimentSuite("balance", Describe("balance"), metrics, [Shares(0.5), Shares(0.25), Shares(0.75)], []);
    }

    private static ExperimentSuite Ancillary(DatasetConfig ds, string dir)
    {
        RequirePodcast("ancillary", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        var metrics = new[] { AdStream, AdClick };
        return new ExperimentSuite("ancillary", Describe("ancillary"), metrics,
        [
            Model("ad_stream", "ad_stream head alone (joint data)", Derive.KeepTasks(joint, "ad_stream"), metrics),
            Model("+click", "ad_stream + click", Derive.KeepTasks(joint, "ad_stream", "click"), metrics),
            Model("+click+like+follow", "ad_stream + click, like, follow", Derive.KeepTasks(joint, "ad_stream", "click", "like", "follow"), metrics),
        ],
        ["The promo_stream head is left out of every variant so that only the ancillary heads change; ad_click is n/a without a click head."]);
    }

    private const double CreativeIdDropout = 0.3;

    private static ExperimentSuite FeatureGroups(DatasetConfig ds, string dir)
    {
        RequirePodcast("feature-groups", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        var variants = new List<ExperimentVariant> { Model("all", "every feature group", joint, Standard) };
        var notes = new List<string>();
        foreach (var g in Enum.GetValues<FeatureGroup>())
        {
            var groups = joint.FeatureGroups.Where(x => x != g).ToList();
            var name = g.ToString().ToLowerInvariant();
            if (!ds.Features.Any(f => f.Group == g))
            {
                notes.Add($"the dataset has no {name} feature: '-{name}' left out");
                continue;
            }
            if (!ds.Features.Any(f => groups.Contains(f.Group) && !joint.ExcludeFeatures.Contains(f.Name)))
            {
                notes.Add($"without {name} no feature is left: '-{name}' left out");
                continue;
            }
            variants.Add(Model($"-{name}", $"without the {name} features", joint with { FeatureGroups = groups }, Standard));
        }
        // Are the creative group's id embeddings what helps or hurts, or its dense descriptors (format, bid)?
        var ids = ds.Features.Where(f => f.Group == FeatureGroup.Creative && f.IsCategorical && f.Name.EndsWith("_id", StringComparison.Ordinal)
                                         && !joint.ExcludeFeatures.Contains(f.Name)).Select(f => f.Name).ToList();
        if (ids.Count > 0)
        {
            variants.Add(Model("-creative-ids", $"without the creative group's ids ({string.Join(", ", ids)}); its other features stay",
                joint with { ExcludeFeatures = joint.ExcludeFeatures.Concat(ids).ToList() }, Standard));
            var singles = ids.Where(n => ds.Feature(n) is { Kind: FeatureKind.Categorical, HashBuckets: 0 }).ToList();
            if (singles.Count > 0)
                variants.Add(Model("creative-id-dropout", $"keeps the ids, with id dropout {CreativeIdDropout} on {string.Join(", ", singles)} (the OOV row learns what an unseen creative looks like)",
                    joint with { IdDropout = singles.ToDictionary(n => n, _ => CreativeIdDropout) }, Standard));
        }
        return new ExperimentSuite("feature-groups", Describe("feature-groups"), Standard, variants, notes);
    }

    private static ExperimentSuite Architectures(DatasetConfig ds, string dir)
    {
        RequirePodcast("architectures", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        var mlp = new ExpertSpec([128]);
        return new ExperimentSuite("architectures", Describe("architectures"), Standard,
        [
            Model("shared-bottom", "MLP encoder, one tower per task (podcast-joint.yaml)", joint, Standard),
            Model("mmoe", "4 MLP experts [128], one softmax gate per task", joint with { Architecture = Architecture.Mmoe, Moe = new MoeSpec(4, mlp, gatePerGroup: false) }, Standard),
            Model("ple", "PLE: 1 level, 4 shared experts + 1 expert per task", joint with
            {
                Architecture = Architecture.Ple,
                Ple = new PleSpec(sharedExperts: 4, taskExperts: 1, levels: 1, mlp),
            }, Standard),
            Model("camoe", "4 DCN-v2 experts (2 cross layers, rank 16, then MLP [128]); one gate per task (the joint tasks have no groups)", joint with
            {
                Architecture = Architecture.Camoe,
                Moe = new MoeSpec(4, mlp with { Dcn = new DcnSpec(crossLayers: 2, lowRank: 16) }, gatePerGroup: true),
            }, Standard),
        ], []);
    }

    private static ExperimentSuite Camoe(DatasetConfig ds, string dir, EncodedSplit? train)
    {
        RequirePodcast("camoe", ds, ["stream", "click"]);
        if (ds.Analysis.Modality is null)
            throw new BadInputException($"suite 'camoe' needs a dataset with analysis.modality (audio/video ads), {ds.ConfigPath} has none; simulate one with `crossfeed simulate --scenario camoe`");
        var camoe = Load(dir, "camoe.yaml", ds);
        var metrics = new[]
        {
            PromoStream,
            new ExperimentMetric("audio_ad_stream", "stream", "ad", TaskScope.Of(TaskScope.Modality, "audio")),
            new ExperimentMetric("video_ad_stream", "stream", "ad", TaskScope.Of(TaskScope.Modality, "video")),
            new ExperimentMetric("audio_ad_click", "click", "ad", TaskScope.Of(TaskScope.Modality, "audio")),
            new ExperimentMetric("video_ad_click", "click", "ad", TaskScope.Of(TaskScope.Modality, "video")),
        };
        var variants = new List<ExperimentVariant>
        {
            Model("dcn-experts", "camoe.yaml: DCN-v2 experts, adaptive masking, tasks grouped by modality", camoe, metrics),
            Model("mlp-experts", "MLP experts instead of DCN-v2", camoe with { Moe = camoe.Moe! with { Expert = camoe.Moe.Expert with { Dcn = null } } }, metrics),
            Model("no-adaptive-masking", "adaptive masking off: audio tasks learn from video ads and vice versa", camoe with { AdaptiveMasking = false }, metrics),
        };
        var notes = new List<string>();
        foreach (var (role, what) in new[] { (TaskScope.Slot, "slot"), (TaskScope.ContentType, "content type") })
        {
            var name = $"group-by-{role.Replace('_', '-')}";
            if (ds.Analysis.TextColumn(role) is null)
                notes.Add($"{name} left out: the dataset has no analysis.{role} column");
            else if (train is null)
                notes.Add($"{name} left out: the suite was built without the training split, which holds the {what}s");
            else
            {
                var grouped = Derive.GroupScopedTasks(camoe, role, train, ds);
                var groups = grouped.Tasks.Where(t => !t.Scope.IsAll).Select(t => t.Group).Distinct().Count();
                variants.Add(Model(name, $"the modality tasks regrouped: one task per label and {what} ({groups} {what}s), each {what} with its own gate; a modality metric scores each row with its {what}'s head", grouped, metrics));
            }
        }
        variants.Add(Model("group-by-objective", "tasks grouped by objective (stream / click) instead of modality",
            camoe with { Tasks = camoe.Tasks.Select(t => t with { Group = t.Label }).ToList() }, metrics));
        variants.Add(Model("gate-per-task", "no grouping: one gate per task", camoe with { Moe = camoe.Moe! with { GatePerGroup = false } }, metrics));
        variants.Add(Model("one-gate", "one shared gate for all tasks", camoe with { Tasks = camoe.Tasks.Select(t => t with { Group = "all" }).ToList() }, metrics));
        return new ExperimentSuite("camoe", Describe("camoe"), metrics, variants, notes);
    }

    private static ExperimentSuite Balancing(DatasetConfig ds, string dir)
    {
        RequirePodcast("balancing", ds);
        var joint = Load(dir, "podcast-joint.yaml", ds);
        ModelConfig Balanced(LossBalancing b) => joint with { Masks = [], Training = joint.Training with { Balancing = b } };
        return new ExperimentSuite("balancing", Describe("balancing"), Standard,
        [
            Model("directional-fixed", "directional masking, fixed task weights (podcast-joint.yaml)", joint, Standard),
            Model("uncertainty", "no mask rule, uncertainty weighting", Balanced(LossBalancing.Uncertainty), Standard),
            Model("grad-norm", "no mask rule, GradNorm (alpha 1.5)", Balanced(LossBalancing.GradNorm), Standard),
            Model("pc-grad", "no mask rule, PCGrad", Balanced(LossBalancing.PcGrad), Standard),
        ],
        ["Each balancing method replaces the directional rule (the question is whether masking beats generic gradient balancing); `masking` has the no-mask fixed-weight model."]);
    }

    private static ExperimentSuite Peers(DatasetConfig ds, string dir)
    {
        bool podcast = IsPodcast(ds, PodcastLabels);
        ModelConfig joint;
        ExperimentMetric[] metrics;
        var notes = new List<string>();
        if (podcast)
        {
            joint = Load(dir, "podcast-joint.yaml", ds);
            metrics = [PromoStream, AdStream, AdClick, new("promo_like", "like", "promotion"), new("promo_follow", "follow", "promotion")];
        }
        else
        {
            joint = GenericJoint(ds);
            metrics = ds.Labels.SelectMany(l => l.Sources.Select(s => new ExperimentMetric(
                l.Sources.Count == 1 ? l.Name : $"{l.Name}@{s}", l.Name, s, Required: false))).ToArray();
            notes.Add("not the podcast schema: the joint model is a generic shared-bottom with one task per label over every source (encoder [64, 32]); metrics are label x source.");
        }
        return new ExperimentSuite("peers", Describe("peers"), metrics,
        [
            Model("joint", podcast ? "the joint 5-task model (podcast-joint.yaml)" : "generic joint model, one task per label", joint, metrics),
            new LightGbmVariant("lightgbm", "one LightGBM per metric, trained on that metric's rows (its label and source)",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions()),
            new LightGbmVariant("lightgbm-pooled", "one LightGBM per metric, trained on every row where its label is known, the source as a categorical feature",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions { Pooled = true }),
        ], notes);
    }

    /// <summary>A shared-bottom model with one task per label (every source), for datasets that are not the podcast schema.</summary>
    public static ModelConfig GenericJoint(DatasetConfig ds)
    {
        var tasks = string.Join("\n", ds.Labels.Select(l => $"  - {{ name: {Yaml(l.Name)}, label: {Yaml(l.Name)}, tower: [32] }}"));
        var yaml = $"""
            name: generic-joint
            architecture: shared_bottom
            encoder: {"{"} hidden: [64, 32] {"}"}
            tasks:
            {tasks}
            sampling: {"{"} mode: natural {"}"}
            training: {"{"} epochs: 3, batch_size: 256, warmup_steps: 10, seed: 1 {"}"}
            """;
        return ModelConfigLoader.Parse(yaml, "generic-joint (built for the peers suite)", ds);
    }

    private static string Yaml(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    // ---- helpers

    private static ModelVariant Model(string name, string description, ModelConfig model, IEnumerable<ExperimentMetric> metrics) =>
        new(name, description, model with { Name = name }, Derive.Heads(model, metrics));

    private static ModelConfig Load(string dir, string file, DatasetConfig ds)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) throw new BadInputException($"{path}: the suite's base config is missing");
        return ModelConfigLoader.Load(path, ds);
    }

    private static bool IsPodcast(DatasetConfig ds, IEnumerable<string> labels) =>
        ds.SourceIndex("promotion") >= 0 && ds.SourceIndex("ad") >= 0 && labels.All(l => ds.Label(l) is not null);

    private static void RequirePodcast(string suite, DatasetConfig ds, IEnumerable<string>? labels = null)
    {
        var need = (labels ?? PodcastLabels).ToList();
        if (IsPodcast(ds, need)) return;
        throw new BadInputException(
            $"suite '{suite}' needs the podcast schema (sources promotion and ad; labels {string.Join(", ", need)}), " +
            $"but {ds.ConfigPath} has sources {string.Join(", ", ds.Source.Values)} and labels {string.Join(", ", ds.Labels.Select(l => l.Name))}; " +
            "`crossfeed simulate` writes such a dataset (only `peers` runs on any dataset)");
    }
}
