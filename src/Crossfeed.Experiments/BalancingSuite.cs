using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `balancing` suite (docs/experiments.md).</summary>
public sealed class BalancingSuite : ISuite
{
    public string Name => "balancing";

    public string Description => "directional masking with fixed weights vs no masking with uncertainty weighting, GradNorm, PCGrad";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        ModelConfig Balanced(LossBalancing b) => joint with { Masks = [], Training = joint.Training with { Balancing = b } };
        return new ExperimentSuite(Name, Description, SuiteKit.Standard,
        [
            SuiteKit.Model("directional-fixed", "directional masking, fixed task weights (podcast-joint.yaml)", joint, SuiteKit.Standard),
            SuiteKit.Model("uncertainty", "no mask rule, uncertainty weighting", Balanced(LossBalancing.Uncertainty), SuiteKit.Standard),
            SuiteKit.Model("grad-norm", "no mask rule, GradNorm (alpha 1.5)", Balanced(LossBalancing.GradNorm), SuiteKit.Standard),
            SuiteKit.Model("pc-grad", "no mask rule, PCGrad", Balanced(LossBalancing.PcGrad), SuiteKit.Standard),
        ],
        ["Each balancing method replaces the directional rule (the question is whether masking beats generic gradient balancing); `masking` has the no-mask fixed-weight model."]);
    }
}
