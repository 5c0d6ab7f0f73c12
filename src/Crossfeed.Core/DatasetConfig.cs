namespace Crossfeed.Core;

/// <summary>A dataset: where rows come from and what each column means. Built by <see cref="DatasetConfigLoader"/>.</summary>
public sealed record DatasetConfig(
    string Name,
    string ConfigPath,
    InputSpec Input,
    SourceSpec Source,
    string? TimeColumn,
    SplitSpec Split,
    IReadOnlyList<string> Keys,
    IReadOnlyList<FeatureSpec> Features,
    IReadOnlyList<LabelSpec> Labels,
    AnalysisSpec Analysis)
{
    public FeatureSpec? Feature(string name) => Features.FirstOrDefault(f => f.Name == name);

    public LabelSpec? Label(string name) => Labels.FirstOrDefault(l => l.Name == name);

    /// <summary>Index of a source value in <see cref="SourceSpec.Values"/>, or -1.</summary>
    public int SourceIndex(string value) => Source.IndexOf(value);
}
