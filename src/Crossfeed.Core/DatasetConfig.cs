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
    int Dim,
    NumericEncoding Encoding = NumericEncoding.Standardize,
    int Bins = FeatureSpec.DefaultBins)
{
    /// <summary>Quantile buckets of quantile_bins and piecewise_linear unless the YAML sets bins.</summary>
    public const int DefaultBins = 16;

    /// <summary>A numeric feature encoded through quantile bucket edges fitted on train.</summary>
    public bool IsBinned => Kind == FeatureKind.Numeric && Encoding != NumericEncoding.Standardize;

    public bool IsCategorical => Kind is FeatureKind.Categorical or FeatureKind.CategoricalList;
}

public sealed record LabelSpec(string Name, string Column, IReadOnlyList<string> Sources, string? Truth);

/// <summary>
/// Columns used to slice results (never model inputs unless also listed as features). The text roles
/// (modality, slot, content type) can also scope a task to part of the rows (see <see cref="TaskScope"/>).
/// </summary>
public sealed record AnalysisSpec(string? Tier, string? Streams30d, string? Cost, string? Modality, string? Slot, string? ContentType = null,
                                  double LessStreamedBelow = AnalysisSpec.DefaultLessStreamedBelow)
{
    /// <summary>Shows with fewer 30-day streams than this form the less-streamed slice unless analysis.less_streamed_below says otherwise.</summary>
    public const double DefaultLessStreamedBelow = 5_000;

    public IEnumerable<string> Columns() =>
        new[] { Tier, Streams30d, Cost, Modality, Slot, ContentType }.Where(c => c is not null)!;

    /// <summary>The numeric roles that are set: (role, column).</summary>
    public IEnumerable<(string Role, string Column)> NumberRoles() =>
        Set(("tier", Tier), ("streams_30d", Streams30d), ("cost", Cost));

    /// <summary>The text roles that are set: (role, column); the roles are <see cref="TaskScope.Roles"/>.</summary>
    public IEnumerable<(string Role, string Column)> TextRoles() =>
        Set((TaskScope.Modality, Modality), (TaskScope.Slot, Slot), (TaskScope.ContentType, ContentType));

    /// <summary>The column of a text role, or null.</summary>
    public string? TextColumn(string role) => TextRoles().Where(r => r.Role == role).Select(r => r.Column).FirstOrDefault();

    private static IEnumerable<(string, string)> Set(params (string Role, string? Column)[] roles) =>
        roles.Where(r => r.Column is not null).Select(r => (r.Role, r.Column!));
}
