namespace Crossfeed.Experiments;

/// <summary>The `ancillary` suite (docs/experiments.md).</summary>
public sealed class AncillarySuite : ISuite
{
    public string Name => "ancillary";

    public string Description => "ad_stream alone vs + click vs + click, like, follow (joint data and masks)";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        var metrics = new[] { SuiteKit.AdStream, SuiteKit.AdClick };
        return new ExperimentSuite(Name, Description, metrics,
        [
            SuiteKit.Model("ad_stream", "ad_stream head alone (joint data)", Derive.KeepTasks(joint, "ad_stream"), metrics),
            SuiteKit.Model("+click", "ad_stream + click", Derive.KeepTasks(joint, "ad_stream", "click"), metrics),
            SuiteKit.Model("+click+like+follow", "ad_stream + click, like, follow", Derive.KeepTasks(joint, "ad_stream", "click", "like", "follow"), metrics),
        ],
        ["The promo_stream head is left out of every variant so that only the ancillary heads change; ad_click is n/a without a click head."]);
    }
}
