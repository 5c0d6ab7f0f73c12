namespace Crossfeed.Core;

/// <summary>Temporal split by half-open ranges, or by quantile fractions of the column, or by pre-split files.</summary>
public sealed record SplitSpec(
    string? Column,
    IReadOnlyDictionary<SplitName, SplitRange>? Ranges,
    IReadOnlyDictionary<SplitName, double>? Fractions,
    bool ByFiles);
