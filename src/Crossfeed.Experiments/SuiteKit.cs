using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>What the suites share: the standard metrics, loading the shipped configs, the podcast-schema check.</summary>
internal static class SuiteKit
{
    public static readonly string[] PodcastLabels = ["stream", "click", "like", "follow"];

    public static ExperimentMetric PromoStream => new("promo_stream", "stream", "promotion");

    public static ExperimentMetric AdStream => new("ad_stream", "stream", "ad");

    public static ExperimentMetric AdClick => new("ad_click", "click", "ad");

    public static ExperimentMetric[] Standard => [PromoStream, AdStream, AdClick];

    /// <summary>
    /// A model with one task per label (every source), for datasets that are not the podcast schema: shared-bottom by
    /// default; mmoe or camoe put four experts (MLP or DCN-v2) with one gate per task over the same input.
    /// </summary>
    public static ModelConfig GenericJoint(DatasetConfig ds, Architecture architecture = Architecture.SharedBottom, int epochs = 3)
    {
        var tasks = string.Join("\n", ds.Labels.Select(l => $"  - {{ name: {Yaml(l.Name)}, label: {Yaml(l.Name)}, tower: [32] }}"));
        var experts = architecture switch
        {
            Architecture.Mmoe => "experts: { count: 4, hidden: [64], kind: mlp }",
            Architecture.Camoe => "experts: { count: 4, hidden: [64], kind: dcn, cross_layers: 2, gate_per_group: false }",
            _ => "",
        };
        var yaml = $"""
            name: generic-joint
            architecture: {(architecture == Architecture.SharedBottom ? "shared_bottom" : architecture.ToString().ToLowerInvariant())}
            encoder: {"{"} hidden: [64, 32] {"}"}
            {experts}
            tasks:
            {tasks}
            sampling: {"{"} mode: natural {"}"}
            training: {"{"} epochs: {epochs}, batch_size: 256, warmup_steps: 10, seed: 1 {"}"}
            """;
        return ModelConfigLoader.Parse(yaml, "generic-joint (built for the peers suite)", ds);
    }

    private static string Yaml(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static ModelVariant Model(string name, string description, ModelConfig model, IEnumerable<ExperimentMetric> metrics) =>
        new(name, description, model with { Name = name }, MetricHeads.For(model, metrics));

    public static ModelConfig Load(string dir, string file, DatasetConfig ds)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) throw new BadInputException($"{path}: the suite's base config is missing");
        return ModelConfigLoader.Load(path, ds);
    }

    public static bool IsPodcast(DatasetConfig ds, IEnumerable<string> labels) =>
        ds.SourceIndex("promotion") >= 0 && ds.SourceIndex("ad") >= 0 && labels.All(l => ds.Label(l) is not null);

    public static void RequirePodcast(string suite, DatasetConfig ds, IEnumerable<string>? labels = null)
    {
        var need = (labels ?? PodcastLabels).ToList();
        if (IsPodcast(ds, need)) return;
        throw new BadInputException(
            $"suite '{suite}' needs the podcast schema (sources promotion and ad; labels {string.Join(", ", need)}), " +
            $"but {ds.ConfigPath} has sources {string.Join(", ", ds.Source.Values)} and labels {string.Join(", ", ds.Labels.Select(l => l.Name))}; " +
            "`crossfeed simulate` writes such a dataset (only `peers` runs on any dataset)");
    }
}
