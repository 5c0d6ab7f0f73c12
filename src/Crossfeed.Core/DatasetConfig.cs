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

/// <summary>Exactly one of Path, Files or Query is set; paths are absolute after loading.</summary>
public sealed record InputSpec(
    string? Path,
    IReadOnlyDictionary<SplitName, string>? Files,
    string? Query,
    InputFormat Format,
    bool Header,
    IReadOnlyList<string> ColumnNames);

public sealed record SourceSpec(string Column, IReadOnlyList<string> Values)
{
    public int IndexOf(string value)
    {
        for (int i = 0; i < Values.Count; i++)
            if (Values[i] == value) return i;
        return -1;
    }
}

public sealed record SplitRange(double From, double To)
{
    public bool Contains(double v) => v >= From && v < To;
}

/// <summary>Temporal split by half-open ranges, or by quantile fractions of the column, or by pre-split files.</summary>
public sealed record SplitSpec(
    string? Column,
    IReadOnlyDictionary<SplitName, SplitRange>? Ranges,
    IReadOnlyDictionary<SplitName, double>? Fractions,
    bool ByFiles);

public sealed record FeatureSpec(
    string Name,
    string Column,
    FeatureGroup Group,
    FeatureKind Kind,
    int EmbeddingDim,
    int MinCount,
    int OovBuckets,
    int HashBuckets,
    string? ShareTable,
    Pooling Pooling,
    int MaxLength,
    NumericTransform Transform,
    int Dim)
{
    public bool IsCategorical => Kind is FeatureKind.Categorical or FeatureKind.CategoricalList;
}

public sealed record LabelSpec(string Name, string Column, IReadOnlyList<string> Sources, string? Truth);

public sealed record AnalysisSpec(string? Tier, string? Streams30d, string? Cost, string? Modality, string? Slot)
{
    public IEnumerable<string> Columns() =>
        new[] { Tier, Streams30d, Cost, Modality, Slot }.Where(c => c is not null)!;
}
