using System.Globalization;

namespace Crossfeed.Experiments;

/// <summary>The `balance` suite (docs/experiments.md).</summary>
public sealed class BalanceSuite : ISuite
{
    public string Name => "balance";

    public string Description => "promotion:ad shares of each balanced batch: 25/75, 50/50, 75/25 (joint model)";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        var metrics = new[] { SuiteKit.PromoStream, SuiteKit.AdStream };
        ExperimentVariant Shares(double promo) =>
            SuiteKit.Model(string.Create(CultureInfo.InvariantCulture, $"promo{promo * 100:F0}-ad{(1 - promo) * 100:F0}"),
                  string.Create(CultureInfo.InvariantCulture, $"balanced batches: {promo:P0} promotions, {1 - promo:P0} ads"),
                  Derive.Shares(joint, new Dictionary<string, double> { ["promotion"] = promo, ["ad"] = 1 - promo }), metrics);
        return new ExperimentSuite(Name, Description, metrics, [Shares(0.5), Shares(0.25), Shares(0.75)], []);
    }
}
