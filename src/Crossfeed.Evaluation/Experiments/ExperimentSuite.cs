using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Evaluation.Experiments;

/// <summary>
/// A reported metric: AP of one label on the TEST rows of one source, optionally narrowed by a scope
/// (modality, slot, content type), e.g. promo_stream = stream on promotion rows. Every variant is scored
/// on exactly the same rows. Required metrics must have test rows (else the run stops with a
/// <see cref="BadInputException"/>); optional ones (generic suites) are dropped with a note.
/// </summary>
public sealed record ExperimentMetric(string Name, string Label, string Source, TaskScope? Scope = null, bool Required = true)
{
    /// <summary>The metric's scope; every row of the source when none was given.</summary>
    public TaskScope Where => Scope ?? TaskScope.All;

    public string Describe() => $"{Label} on {Source}{(Where.IsAll ? "" : $" ({Where})")} rows";

    /// <summary>Row indices of the split this metric is computed on: label known, the source and scope match.</summary>
    public int[] Rows(EncodedSplit split, DatasetConfig dataset)
    {
        var source = dataset.SourceIndex(Source);
        if (source < 0 || !split.Labels.TryGetValue(Label, out var labels)) return [];
        var rows = new List<int>();
        for (int i = 0; i < split.Count; i++)
            if (split.Source[i] == source && !float.IsNaN(labels[i]) && Where.Admits(split.AnalysisText, i)) rows.Add(i);
        return rows.ToArray();
    }
}

/// <summary>One trained contender of a suite. The first variant of a suite is its baseline.</summary>
public abstract record ExperimentVariant(string Name, string Description)
{
    public abstract string Kind { get; }
}

/// <summary>
/// A multi-task model trained with <see cref="Training.Trainer"/>. <paramref name="Heads"/> maps a metric
/// name to the tasks (heads) that score it: one head, or several narrower heads (tasks grouped by slot
/// or content type) among which each row goes to the first whose scope admits it. A metric missing
/// from the map is not reported for this variant ("n/a"). A single head may score rows it was not built
/// for (the promotions-only baseline's promo_stream head scoring ads): that is a borrowed head, flagged
/// in the reports.
/// </summary>
public sealed record ModelVariant(string Name, string Description, ModelConfig Model, IReadOnlyDictionary<string, IReadOnlyList<string>> Heads)
    : ExperimentVariant(Name, Description)
{
    public override string Kind => "model";
}

/// <summary>One ML.NET LightGBM binary classifier per metric, on the same splits and the features of the given groups.</summary>
public sealed record LightGbmVariant(string Name, string Description, IReadOnlyList<FeatureGroup> FeatureGroups,
                                     IReadOnlyList<string> ExcludeFeatures, LightGbmPeerOptions Options)
    : ExperimentVariant(Name, Description)
{
    public override string Kind => "lightgbm";
}

/// <summary>A named experiment: metrics, a baseline (Variants[0]) and the variants compared with it.</summary>
public sealed record ExperimentSuite(
    string Name,
    string Description,
    IReadOnlyList<ExperimentMetric> Metrics,
    IReadOnlyList<ExperimentVariant> Variants,
    IReadOnlyList<string> Notes)
{
    public ExperimentVariant Baseline => Variants[0];

    /// <summary>The baseline and the named variants only (in the suite's order); an unknown name is bad input.</summary>
    public ExperimentSuite Only(IReadOnlyCollection<string> names)
    {
        foreach (var n in names)
            if (Variants.All(v => v.Name != n))
                throw new BadInputException($"suite '{Name}' has no variant '{n}' (variants: {string.Join(", ", Variants.Select(v => v.Name))})");
        return this with { Variants = Variants.Where((v, i) => i == 0 || names.Contains(v.Name)).ToList() };
    }
}
