using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// How one feature is encoded. Numeric: (transform(x) - Mean) / Std, where transform is none or
/// log1p; a null becomes 0 (the training mean). Vector: passed through, Dim values, null = zeros.
/// Categorical and lists: ids from <see cref="Table"/>; lists keep their first MaxLength items.
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
    int Dim);
