using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `architectures` suite (docs/experiments.md).</summary>
public sealed class ArchitecturesSuite : ISuite
{
    public string Name => "architectures";

    public string Description => "shared-bottom vs MMoE vs PLE vs CAMoE (joint tasks and masks)";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir) = (ctx.Dataset, ctx.ConfigsDir);
        SuiteKit.RequirePodcast(Name, ds);
        var joint = SuiteKit.Load(dir, "podcast-joint.yaml", ds);
        var mlp = new ExpertSpec([128]);
        return new ExperimentSuite(Name, Description, SuiteKit.Standard,
        [
            SuiteKit.Model("shared-bottom", "MLP encoder, one tower per task (podcast-joint.yaml)", joint, SuiteKit.Standard),
            SuiteKit.Model("mmoe", "4 MLP experts [128], one softmax gate per task", joint with { Architecture = Architecture.Mmoe, Moe = new MoeSpec(4, mlp, gatePerGroup: false) }, SuiteKit.Standard),
            SuiteKit.Model("ple", "PLE: 1 level, 4 shared experts + 1 expert per task", joint with
            {
                Architecture = Architecture.Ple,
                Ple = new PleSpec(sharedExperts: 4, taskExperts: 1, levels: 1, mlp),
            }, SuiteKit.Standard),
            SuiteKit.Model("camoe", "4 DCN-v2 experts (2 cross layers, rank 16, then MLP [128]); one gate per task (the joint tasks have no groups)", joint with
            {
                Architecture = Architecture.Camoe,
                Moe = new MoeSpec(4, mlp with { Dcn = new DcnSpec(crossLayers: 2, lowRank: 16) }, gatePerGroup: true),
            }, SuiteKit.Standard),
        ], []);
    }
}
