using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// How one feature is encoded. Numeric: (transform(x) - Mean) / Std, where transform is none or
/// log1p; a null becomes 0 (the training mean). With a binned <see cref="Encoding"/>, the model reads
/// instead the bucket of transform(x) among <see cref="Edges"/> (quantile_bins; id 0 = null) or its
/// piecewise-linear encoding plus, when the column had nulls on train (<see cref="HasNulls"/>), a null
/// indicator. Vector: passed through, Dim values, null = zeros. Categorical and lists: ids from
/// <see cref="Table"/>; lists keep their first MaxLength items. The last three members default to
/// today's standardisation, so a preprocessor JSON written before they existed reads back unchanged.
/// </summary>
public sealed record FeatureEncoding(
    string Name,
    FeatureKind Kind,
    string Column,
    string? Table,
    int MaxLength,
    NumericTransform Transform,
    double Mean,
    double Std,
    long Count,
    int Dim,
    NumericEncoding Encoding = NumericEncoding.Standardize,
    IReadOnlyList<double>? Edges = null,
    bool HasNulls = false)
{
    /// <summary>Quantile buckets (binned encodings only).</summary>
    public int Buckets => Edges is null ? 0 : Edges.Count - 1;

    /// <summary>Values per row of the piecewise-linear encoding: one per bucket, plus the null indicator.</summary>
    public int PiecewiseWidth => Buckets + (HasNulls ? 1 : 0);

    /// <summary>quantile_bins id of a transformed value: 0 for null, 1 + bucket otherwise.</summary>
    public int BucketId(double? transformed) => transformed is { } t ? 1 + NumericBins.Bucket(Edges!, t) : 0;

    /// <summary>The piecewise-linear encoding of a transformed value into <see cref="PiecewiseWidth"/> floats; a null is all zeros but the indicator.</summary>
    public void Piecewise(double? transformed, Span<float> into)
    {
        if (transformed is { } t) NumericBins.Piecewise(Edges!, t, into);
        else into[..Buckets].Clear();
        if (HasNulls) into[Buckets] = transformed is null ? 1f : 0f;
    }
}
