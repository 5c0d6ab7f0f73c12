using Crossfeed.Core;

namespace Crossfeed.Evaluation.Experiments;

/// <summary>Small, pure derivations of model configs (records are immutable: each returns a new config).</summary>
public static class Derive
{
    /// <summary>
    /// Keeps only the named tasks (in the config's order). Mask rules keep the kept tasks and disappear
    /// when none is left; early stopping keeps the kept tasks, or falls back to all kept tasks.
    /// </summary>
    public static ModelConfig KeepTasks(ModelConfig model, params string[] tasks)
    {
        foreach (var t in tasks)
            if (model.TaskIndex(t) < 0) throw new ArgumentException($"{model.Name} has no task '{t}'", nameof(tasks));
        var keep = tasks.ToHashSet(StringComparer.Ordinal);
        var kept = model.Tasks.Where(t => keep.Contains(t.Name)).ToList();
        var masks = model.Masks
            .Select(m => m with { Tasks = m.Tasks.Where(keep.Contains).ToList() })
            .Where(m => m.Tasks.Count > 0)
            .ToList();
        var stopping = model.Training.EarlyStoppingTasks.Where(keep.Contains).ToList();
        if (stopping.Count == 0) stopping = kept.Select(t => t.Name).ToList();
        return model with { Tasks = kept, Masks = masks, Training = model.Training with { EarlyStoppingTasks = stopping } };
    }

    /// <summary>Sampling shares per source (balanced batches); they must add up to 1.</summary>
    public static ModelConfig Shares(ModelConfig model, IReadOnlyDictionary<string, double> shares)
    {
        if (Math.Abs(shares.Values.Sum() - 1) > 1e-9) throw new ArgumentException("shares must add up to 1", nameof(shares));
        return model with { Sampling = model.Sampling with { Mode = SamplingMode.Balanced, Shares = new Dictionary<string, double>(shares) } };
    }

    /// <summary>Adds a mask rule after the existing ones (later rules win).</summary>
    public static ModelConfig AddMask(ModelConfig model, string source, float weight, params string[] tasks) =>
        model with { Masks = model.Masks.Append(new MaskRule(source, tasks, weight)).ToList() };

    /// <summary>The config's training capped for a fast look: one epoch of at most <paramref name="steps"/> steps.</summary>
    public static ModelConfig Quick(ModelConfig model, int steps) => model with
    {
        Training = model.Training with
        {
            Epochs = 1,
            MaxStepsPerEpoch = steps,
            WarmupSteps = Math.Min(model.Training.WarmupSteps, Math.Max(0, steps / 10)),
            Patience = Math.Max(1, model.Training.Patience),
        },
    };

    /// <summary>The same config with another seed (multi-seed runs).</summary>
    public static ModelConfig Seed(ModelConfig model, int seed) => model with { Training = model.Training with { Seed = seed } };

    /// <summary>
    /// Which head scores each metric: a task with the metric's label whose sources (and modalities) cover
    /// the metric's rows; otherwise the first task with the same label (a borrowed head, e.g. the
    /// promotions-only baseline's promo_stream head on ads); otherwise the metric is not reported.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Heads(ModelConfig model, IEnumerable<ExperimentMetric> metrics)
    {
        var heads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var own = model.Tasks.FirstOrDefault(t => Covers(t, m) && (m.Modality is null ? t.Modalities.Count == 0 : t.Modalities.Contains(m.Modality)))
                      ?? model.Tasks.FirstOrDefault(t => Covers(t, m))
                      ?? model.Tasks.FirstOrDefault(t => t.Label == m.Label);
            if (own is not null) heads[m.Name] = own.Name;
        }
        return heads;
    }

    /// <summary>True when the task is about the metric's rows (label, source and modality); false means the head is borrowed.</summary>
    public static bool Covers(TaskSpec task, ExperimentMetric metric) =>
        task.Label == metric.Label && task.Sources.Contains(metric.Source)
        && (task.Modalities.Count == 0 || (metric.Modality is not null && task.Modalities.Contains(metric.Modality)));
}
