using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `peers` suite (docs/experiments.md).</summary>
public sealed class PeersSuite : ISuite
{
    public string Name => "peers";

    public string Description => "the joint model vs one ML.NET LightGBM per metric on the same splits and features";

    /// <summary>Epochs of the generic models (small tabular data: an epoch takes seconds; validation picks the best).</summary>
    private const int GenericEpochs = 12;

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        bool podcast = SuiteKit.IsPodcast(ds, SuiteKit.PodcastLabels);
        ModelConfig joint;
        ExperimentMetric[] metrics;
        var notes = new List<string>();
        var extra = new List<ExperimentVariant>();
        if (podcast)
        {
            joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
            metrics = [SuiteKit.PromoStream, SuiteKit.AdStream, SuiteKit.AdClick, new("promo_like", "like", "promotion"), new("promo_follow", "follow", "promotion")];
        }
        else
        {
            joint = SuiteKit.GenericJoint(ds, epochs: GenericEpochs);
            metrics = ds.Labels.SelectMany(l => l.Sources.Select(s => new ExperimentMetric(
                l.Sources.Count == 1 ? l.Name : $"{l.Name}@{s}", l.Name, s, Required: false))).ToArray();
            notes.Add($"not the podcast schema: the joint model is a generic shared-bottom with one task per label over every source (encoder [64, 32], {GenericEpochs} epochs, the best on validation kept); metrics are label x source.");
            extra.AddRange(GenericVariants(ds, metrics));
        }
        return new ExperimentSuite(Name, Description, metrics,
        [
            SuiteKit.Model("joint", podcast ? "the joint 5-task model (podcast-joint.yaml)" : "generic joint model, one task per label, numerics encoded as the dataset YAML says", joint, metrics),
            .. extra,
            new LightGbmVariant("lightgbm", "one LightGBM per metric, trained on that metric's rows (its label and source), tuned on validation",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions(), Tuned: true),
            new LightGbmVariant("lightgbm-pooled", "one LightGBM per metric, trained on every row where its label is known, the source as a categorical feature, tuned on validation",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions { Pooled = true }, Tuned: true),
        ], notes);
    }

    /// <summary>
    /// For tabular data: the joint model with every numeric in one encoding (when the dataset has numerics), and the
    /// multi-expert architectures on the dataset's own encodings.
    /// </summary>
    private static IEnumerable<ExperimentVariant> GenericVariants(DatasetConfig ds, ExperimentMetric[] metrics)
    {
        if (ds.Features.Any(f => f.Kind == FeatureKind.Numeric))
        {
            var joint = SuiteKit.GenericJoint(ds, epochs: GenericEpochs);
            foreach (var (encoding, name) in new[] { (NumericEncoding.Standardize, "standardize"), (NumericEncoding.QuantileBins, "quantile-bins"), (NumericEncoding.PiecewiseLinear, "piecewise-linear") })
                yield return new EncodingVariant(SuiteKit.Model($"joint-{name}", $"generic joint model, every numeric encoded as {name.Replace('-', '_')}", joint, metrics), encoding);
        }
        yield return SuiteKit.Model("mmoe", "MMoE: 4 MLP experts [64], one gate per task", SuiteKit.GenericJoint(ds, Architecture.Mmoe, GenericEpochs), metrics);
        yield return SuiteKit.Model("camoe", "CAMoE-style: 4 DCN-v2 experts (2 cross layers, MLP [64]), one gate per task", SuiteKit.GenericJoint(ds, Architecture.Camoe, GenericEpochs), metrics);
    }
}
