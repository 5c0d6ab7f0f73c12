namespace Crossfeed.Core;

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
