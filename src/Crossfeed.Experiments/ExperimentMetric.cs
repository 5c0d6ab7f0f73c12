using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

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
