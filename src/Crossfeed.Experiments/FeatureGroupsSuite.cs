using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `feature-groups` suite (docs/experiments.md).</summary>
public sealed class FeatureGroupsSuite : ISuite
{
    public string Name => "feature-groups";

    public string Description => "all feature groups vs without user, content, context or creative; the creative ids left out or trained with id dropout (joint model)";

    private const double CreativeIdDropout = 0.3;

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        var variants = new List<ExperimentVariant> { SuiteKit.Model("all", "every feature group", joint, SuiteKit.Standard) };
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
            variants.Add(SuiteKit.Model($"-{name}", $"without the {name} features", joint with { FeatureGroups = groups }, SuiteKit.Standard));
        }
        // Are the creative group's id embeddings what helps or hurts, or its dense descriptors (format, bid)?
        var ids = ds.Features.Where(f => f.Group == FeatureGroup.Creative && f.IsCategorical && f.Name.EndsWith("_id", StringComparison.Ordinal)
                                         && !joint.ExcludeFeatures.Contains(f.Name)).Select(f => f.Name).ToList();
        if (ids.Count > 0)
        {
            variants.Add(SuiteKit.Model("-creative-ids", $"without the creative group's ids ({string.Join(", ", ids)}); its other features stay",
                joint with { ExcludeFeatures = joint.ExcludeFeatures.Concat(ids).ToList() }, SuiteKit.Standard));
            var singles = ids.Where(n => ds.Feature(n) is { Kind: FeatureKind.Categorical, HashBuckets: 0 }).ToList();
            if (singles.Count > 0)
                variants.Add(SuiteKit.Model("creative-id-dropout", $"keeps the ids, with id dropout {CreativeIdDropout} on {string.Join(", ", singles)} (the OOV row learns what an unseen creative looks like)",
                    joint with { IdDropout = singles.ToDictionary(n => n, _ => CreativeIdDropout) }, SuiteKit.Standard));
        }
        return new ExperimentSuite(Name, Description, SuiteKit.Standard, variants, notes);
    }
}
