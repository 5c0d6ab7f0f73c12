namespace Crossfeed.Data;

/// <summary>What one file of a cached split holds (docs/data.md, "Encoded cache").</summary>
public enum CacheSectionKind
{
    /// <summary>int32 source index per row.</summary>
    Source,
    /// <summary>int32 ids: one per row, or a list feature's items.</summary>
    Ids,
    /// <summary>int64 offsets into a list feature's items, rows + 1 of them.</summary>
    ListOffsets,
    /// <summary>float32, width values per row.</summary>
    Dense,
    /// <summary>float32, width values per row.</summary>
    Piecewise,
    /// <summary>float32 per row.</summary>
    Labels,
    /// <summary>float32 per row.</summary>
    Truth,
    /// <summary>float64 per row.</summary>
    Analysis,
    /// <summary>int32 code per row into the section's vocabulary (-1 for null).</summary>
    AnalysisText,
    /// <summary>Length-prefixed UTF-8 texts, one per row (a flag byte, then the text when not null).</summary>
    Keys,
    /// <summary>float64 Unix seconds per row.</summary>
    Time,
}

/// <summary>One file of a cached split: its kind, the column it holds, its file name, and for text analysis columns their vocabulary.</summary>
public sealed record CacheSection(CacheSectionKind Kind, string Name, string File, string[]? Vocabulary = null)
{
    /// <summary>Bytes per element of the file (0 for variable-length texts).</summary>
    public int ElementSize => Kind switch
    {
        CacheSectionKind.ListOffsets or CacheSectionKind.Analysis or CacheSectionKind.Time => 8,
        CacheSectionKind.Keys => 0,
        _ => 4,
    };
}
