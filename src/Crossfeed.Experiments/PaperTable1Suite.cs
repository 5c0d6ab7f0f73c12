namespace Crossfeed.Experiments;

/// <summary>The `paper-table1` suite (docs/experiments.md).</summary>
public sealed class PaperTable1Suite : ISuite
{
    public string Name => "paper-table1";

    public string Description => "WSDM 2026 Table 1: promotions-only baseline vs single-task ads, single heads, ads + ancillary heads and the joint 5-task model";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var metrics = new[] { SuiteKit.PromoStream, SuiteKit.AdStream };
        var promoOnly = SuiteKit.Load(dir, "podcast-promo-only.yaml", ds);
        var adsOnly = Derive.KeepTasks(SuiteKit.Load(dir, "podcast-ads-only.yaml", ds), "ad_stream");
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        return new ExperimentSuite(Name, Description, metrics,
        [
            SuiteKit.Model("promo-only", "promotions-only baseline (podcast-promo-only.yaml); its promo_stream head also scores ads", promoOnly, metrics),
            SuiteKit.Model("ads-only", "single-task ads: ad_stream alone, trained on ads alone (podcast-ads-only.yaml without click); its head also scores promotions", adsOnly, metrics),
            SuiteKit.Model("promo-stream-head", "joint data and masks, promo_stream head only (directional: ads never update it)",
                Derive.KeepTasks(joint, "promo_stream"), metrics),
            SuiteKit.Model("ad-stream-head", "joint data and masks, ad_stream head only (learns from both sources); it also scores promotions",
                Derive.KeepTasks(joint, "ad_stream"), metrics),
            SuiteKit.Model("ad-stream+ancillary", "joint data and masks, ad_stream + click + follow heads",
                Derive.KeepTasks(joint, "ad_stream", "click", "follow"), metrics),
            SuiteKit.Model("joint", "the joint 5-task model (podcast-joint.yaml)", joint, metrics),
        ],
        ["Rows 3-6 keep a subset of the joint model's heads with its data (50/50 batches) and masks; a model without a head for a metric scores it with the head of the same label (marked borrowed)."]);
    }
}
