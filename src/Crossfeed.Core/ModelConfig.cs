namespace Crossfeed.Core;

public enum Architecture { SharedBottom, Mmoe, Ple, Camoe }

public enum ExpertKind { Mlp, Dcn }

public enum SamplingMode { Balanced, Natural }

public enum LossBalancing { Fixed, Uncertainty, GradNorm, PcGrad }

public enum LrSchedule { Constant, Cosine, Step }

public enum EmbeddingOptimizer { LazyAdam, DenseAdam }

/// <summary>A model: architecture, tasks, masks, sampling and optimisation. Built by <see cref="ModelConfigLoader"/>.</summary>
public sealed record ModelConfig(
    string Name,
    string ConfigPath,
    Architecture Architecture,
    IReadOnlyList<FeatureGroup> FeatureGroups,
    IReadOnlyList<string> ExcludeFeatures,
    IReadOnlyList<int> EncoderHidden,
    ExpertSpec Experts,
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

/// <summary>Experts for MMoE, PLE and CAMoE. PLE uses SharedCount + TaskCount per level.</summary>
public sealed record ExpertSpec(
    int Count,
    IReadOnlyList<int> Hidden,
    ExpertKind Kind,
    int CrossLayers,
    int LowRank,
    int PleLevels,
    int PleTaskExperts,
    bool GatePerGroup);

/// <summary>
/// One binary outcome: a dataset label, the sources the task is about and optionally a narrower scope
/// (modalities, slots, content types): where it is evaluated and, unless a mask says otherwise, not the only
/// place it learns from (with adaptive masking on, rows outside the scope carry no loss for it). Then tower
/// sizes, loss weight and an optional task group: tasks of one group share a gate (CAMoE).
/// </summary>
public sealed record TaskSpec(
    string Name, string Label, IReadOnlyList<string> Sources, TaskScope Scope,
    IReadOnlyList<int> Tower, float Weight, string? Group);

/// <summary>
/// Transfer from a trained bundle: the new config lists the bundle's tasks first (same order), then the
/// new ones. FreezeEncoder trains only the new heads; InitFrom starts a new head from an existing
/// head's weights; ZeroShot applies those copied heads without any training (a head scored against a new label).
/// </summary>
public sealed record FinetuneSpec(bool FreezeEncoder, IReadOnlyDictionary<string, string> InitFrom, bool ZeroShot);

public sealed record MaskRule(string Source, IReadOnlyList<string> Tasks, float Weight);

public sealed record DownsampleRule(string Source, string? Modality, double Rate);

public sealed record SamplingSpec(
    SamplingMode Mode,
    IReadOnlyDictionary<string, double> Shares,
    IReadOnlyList<DownsampleRule> Downsample);

public sealed record TrainingSpec(
    int Epochs,
    int BatchSize,
    double LearningRate,
    double EmbeddingLearningRate,
    double WeightDecay,
    double ClipNorm,
    LrSchedule Schedule,
    int WarmupSteps,
    IReadOnlyList<string> EarlyStoppingTasks,
    int Patience,
    int Seed,
    int CheckpointEvery,
    LossBalancing Balancing,
    EmbeddingOptimizer EmbeddingOptimizer,
    double Dropout,
    int MaxStepsPerEpoch);
