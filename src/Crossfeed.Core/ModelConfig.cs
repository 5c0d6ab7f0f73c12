namespace Crossfeed.Core;

/// <summary>
/// A model: architecture, tasks, masks, sampling and optimisation. Built by <see cref="ModelConfigLoader"/>.
/// The architecture reads its own options: <see cref="Bottom"/> (shared_bottom; YAML <c>encoder</c>),
/// <see cref="Moe"/> (mmoe and camoe) or <see cref="Ple"/> (ple); the loader sets only the one it reads.
/// </summary>
public sealed record ModelConfig(
    string Name,
    string ConfigPath,
    Architecture Architecture,
    IReadOnlyList<FeatureGroup> FeatureGroups,
    IReadOnlyList<string> ExcludeFeatures,
    BottomSpec Bottom,
    MoeSpec? Moe,
    PleSpec? Ple,
    IReadOnlyList<TaskSpec> Tasks,
    IReadOnlyList<MaskRule> Masks,
    SamplingSpec Sampling,
    TrainingSpec Training,
    bool AdaptiveMasking,
    FinetuneSpec? Finetune = null,
    IReadOnlyDictionary<string, double>? IdDropout = null)
{
    /// <summary>
    /// Per categorical feature: the probability that a training example's known id is replaced by the
    /// out-of-vocabulary id, so the OOV row learns what an unseen id (a new creative) should look like.
    /// </summary>
    public IReadOnlyDictionary<string, double> IdDropoutRates => IdDropout ?? new Dictionary<string, double>();

    public int TaskIndex(string name)
    {
        for (int i = 0; i < Tasks.Count; i++)
            if (Tasks[i].Name == name) return i;
        return -1;
    }

    /// <summary>m[s, t]: 1 unless a rule sets another weight; later rules win.</summary>
    public float[,] MaskMatrix(IReadOnlyList<string> sources)
    {
        var m = new float[sources.Count, Tasks.Count];
        for (int s = 0; s < sources.Count; s++)
            for (int t = 0; t < Tasks.Count; t++)
                m[s, t] = 1f;
        foreach (var rule in Masks)
        {
            for (int s = 0; s < sources.Count; s++)
            {
                if (rule.Source != sources[s]) continue;
                foreach (var task in rule.Tasks) m[s, TaskIndex(task)] = rule.Weight;
            }
        }
        return m;
    }
}
