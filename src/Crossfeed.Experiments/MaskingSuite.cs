namespace Crossfeed.Experiments;

/// <summary>The `masking` suite (docs/experiments.md).</summary>
public sealed class MaskingSuite : ISuite
{
    public string Name => "masking";

    public string Description => "directional loss masking vs no masking vs full isolation (joint model)";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        return new ExperimentSuite(Name, Description, SuiteKit.Standard,
        [
            SuiteKit.Model("directional", "ad impressions never update promo_stream (podcast-joint.yaml)", joint, SuiteKit.Standard),
            SuiteKit.Model("none", "no mask rule: every source teaches every task", joint with { Masks = [] }, SuiteKit.Standard),
            SuiteKit.Model("isolation", "directional + promotion impressions never update ad_stream",
                Derive.AddMask(joint, "promotion", 0, "ad_stream"), SuiteKit.Standard),
        ], []);
    }
}
