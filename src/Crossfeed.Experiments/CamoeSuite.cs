using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>The `camoe` suite (docs/experiments.md).</summary>
public sealed class CamoeSuite : ISuite
{
    public string Name => "camoe";

    public string Description => "CAMoE ablations: DCN vs MLP experts, adaptive masking on/off, task grouping (camoe scenario)";

    public ExperimentSuite Build(SuiteContext ctx)
    {
        var (ds, dir, train) = (ctx.Dataset, ctx.ConfigsDir, ctx.Train);
        SuiteKit.RequirePodcast(Name, ds, ["stream", "click"]);
        if (ds.Analysis.Modality is null)
            throw new BadInputException($"suite 'camoe' needs a dataset with analysis.modality (audio/video ads), {ds.ConfigPath} has none; simulate one with `crossfeed simulate --scenario camoe`");
        var camoe = SuiteKit.Load(dir, "camoe.yaml", ds);
        var metrics = new[]
        {
            SuiteKit.PromoStream,
            new ExperimentMetric("audio_ad_stream", "stream", "ad", TaskScope.Of(TaskScope.Modality, "audio")),
            new ExperimentMetric("video_ad_stream", "stream", "ad", TaskScope.Of(TaskScope.Modality, "video")),
            new ExperimentMetric("audio_ad_click", "click", "ad", TaskScope.Of(TaskScope.Modality, "audio")),
            new ExperimentMetric("video_ad_click", "click", "ad", TaskScope.Of(TaskScope.Modality, "video")),
        };
        var variants = new List<ExperimentVariant>
        {
            SuiteKit.Model("dcn-experts", "camoe.yaml: DCN-v2 experts, adaptive masking, tasks grouped by modality", camoe, metrics),
            SuiteKit.Model("mlp-experts", "MLP experts instead of DCN-v2", camoe with { Moe = camoe.Moe! with { Expert = camoe.Moe.Expert with { Dcn = null } } }, metrics),
            SuiteKit.Model("no-adaptive-masking", "adaptive masking off: audio tasks learn from video ads and vice versa", camoe with { AdaptiveMasking = false }, metrics),
        };
        var notes = new List<string>();
        foreach (var (role, what) in new[] { (TaskScope.Slot, "slot"), (TaskScope.ContentType, "content type") })
        {
            var name = $"group-by-{role.Replace('_', '-')}";
            if (ds.Analysis.TextColumn(role) is null)
                notes.Add($"{name} left out: the dataset has no analysis.{role} column");
            else if (train is null)
                notes.Add($"{name} left out: the suite was built without the training split, which holds the {what}s");
            else
            {
                var grouped = Derive.GroupScopedTasks(camoe, role, train, ds);
                var groups = grouped.Tasks.Where(t => !t.Scope.IsAll).Select(t => t.Group).Distinct().Count();
                variants.Add(SuiteKit.Model(name, $"the modality tasks regrouped: one task per label and {what} ({groups} {what}s), each {what} with its own gate; a modality metric scores each row with its {what}'s head", grouped, metrics));
            }
        }
        variants.Add(SuiteKit.Model("group-by-objective", "tasks grouped by objective (stream / click) instead of modality",
            camoe with { Tasks = camoe.Tasks.Select(t => t with { Group = t.Label }).ToList() }, metrics));
        variants.Add(SuiteKit.Model("gate-per-task", "no grouping: one gate per task", camoe with { Moe = camoe.Moe! with { GatePerGroup = false } }, metrics));
        variants.Add(SuiteKit.Model("one-gate", "one shared gate for all tasks", camoe with { Tasks = camoe.Tasks.Select(t => t with { Group = "all" }).ToList() }, metrics));
        return new ExperimentSuite(Name, Description, metrics, variants, notes);
    }
}
