using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

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
    /// Regroups the scoped tasks (e.g. one per modality and label) by another analysis role: for each value
    /// of <paramref name="role"/> on the rows a scoped task is about (in <paramref name="split"/>, most frequent
    /// first), one task per label named "{value}_{label}", scoped to that value and in a gate group of its own.
    /// Unscoped tasks stay; mask rules and early stopping move to the new tasks of the tasks they named.
    /// </summary>
    public static ModelConfig GroupScopedTasks(ModelConfig model, string role, EncodedSplit split, DatasetConfig dataset)
    {
        var column = split.AnalysisText.GetValueOrDefault(role)
                     ?? throw new BadInputException($"{dataset.ConfigPath}: grouping tasks by {role} needs analysis.{role}");
        var tasks = model.Tasks.Where(t => t.Scope.IsAll).ToList();
        var replaced = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in model.Tasks.Where(t => !t.Scope.IsAll))
        {
            var sources = t.Sources.Select(dataset.SourceIndex).ToHashSet();
            var labels = split.Labels[t.Label];
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < split.Count; i++)
                if (sources.Contains(split.Source[i]) && !float.IsNaN(labels[i]) && t.Scope.Admits(split.AnalysisText, i) && column[i] is { } v)
                    counts[v] = counts.GetValueOrDefault(v) + 1;
            if (counts.Count == 0) throw new BadInputException($"{model.Name}: no {split.Name} rows of task {t.Name} have a {role}");
            var names = replaced[t.Name] = [];
            foreach (var value in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key))
            {
                var name = $"{value}_{t.Label}";
                names.Add(name);
                var existing = tasks.FirstOrDefault(x => x.Name == name);
                if (existing is null) tasks.Add(t with { Name = name, Scope = TaskScope.Of(role, value), Group = value });
                else if (existing.Scope.IsAll)
                    throw new BadInputException($"{model.Name}: grouping by {role} would add a task '{name}', which the config already has");
            }
        }
        if (replaced.Count == 0) throw new ArgumentException($"{model.Name} has no scoped tasks to regroup by {role}", nameof(model));
        List<string> Map(IEnumerable<string> names) =>
            names.SelectMany(n => replaced.TryGetValue(n, out var r) ? r : [n]).Distinct(StringComparer.Ordinal).ToList();
        return model with
        {
            Tasks = tasks,
            Masks = model.Masks.Select(m => m with { Tasks = Map(m.Tasks) }).ToList(),
            Training = model.Training with { EarlyStoppingTasks = Map(model.Training.EarlyStoppingTasks) },
        };
    }
}
