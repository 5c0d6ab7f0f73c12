using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `peers` suite (docs/experiments.md).</summary>
public sealed class PeersSuite : ISuite
{
    public string Name => "peers";

    public string Description => "the joint model vs one ML.NET LightGBM per metric on the same splits and features";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        bool podcast = SuiteKit.IsPodcast(ds, SuiteKit.PodcastLabels);
        ModelConfig joint;
        ExperimentMetric[] metrics;
        var notes = new List<string>();
        if (podcast)
        {
            joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
            metrics = [SuiteKit.PromoStream, SuiteKit.AdStream, SuiteKit.AdClick, new("promo_like", "like", "promotion"), new("promo_follow", "follow", "promotion")];
        }
        else
        {
            joint = SuiteKit.GenericJoint(ds);
            metrics = ds.Labels.SelectMany(l => l.Sources.Select(s => new ExperimentMetric(
                l.Sources.Count == 1 ? l.Name : $"{l.Name}@{s}", l.Name, s, Required: false))).ToArray();
            notes.Add("not the podcast schema: the joint model is a generic shared-bottom with one task per label over every source (encoder [64, 32]); metrics are label x source.");
        }
        return new ExperimentSuite(Name, Description, metrics,
        [
            SuiteKit.Model("joint", podcast ? "the joint 5-task model (podcast-joint.yaml)" : "generic joint model, one task per label", joint, metrics),
            new LightGbmVariant("lightgbm", "one LightGBM per metric, trained on that metric's rows (its label and source)",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions()),
            new LightGbmVariant("lightgbm-pooled", "one LightGBM per metric, trained on every row where its label is known, the source as a categorical feature",
                joint.FeatureGroups, joint.ExcludeFeatures, new LightGbmPeerOptions { Pooled = true }),
        ], notes);
    }
}
