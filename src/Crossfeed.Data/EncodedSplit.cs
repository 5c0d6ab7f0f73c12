using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// One split of a dataset after encoding: columnar arrays ready to be sliced into tensors without
/// per-row allocations. Row i of every array belongs to the same impression.
/// </summary>
public sealed class EncodedSplit
{
    public required SplitName Name { get; init; }
    public required int Count { get; init; }

    /// <summary>Index into <see cref="SourceSpec.Values"/> per row.</summary>
    public required int[] Source { get; init; }

    /// <summary>Per feature name: encoded ids (categorical: Count ids; list: see <see cref="ListOffsets"/>).</summary>
    public required IReadOnlyDictionary<string, int[]> Ids { get; init; }

    /// <summary>Per list feature: Count + 1 offsets into its <see cref="Ids"/> array.</summary>
    public required IReadOnlyDictionary<string, int[]> ListOffsets { get; init; }

    /// <summary>Per numeric feature: standardised values (Count); per vector feature: Count * Dim values, row-major.</summary>
    public required IReadOnlyDictionary<string, float[]> Dense { get; init; }

    /// <summary>Per label name: 0/1, or NaN where the label is unknown (null, or not observable for the row's source).</summary>
    public required IReadOnlyDictionary<string, float[]> Labels { get; init; }

    /// <summary>Per label name with a truth column: the ground-truth probability, NaN where missing.</summary>
    public required IReadOnlyDictionary<string, float[]> Truth { get; init; }

    /// <summary>Analysis columns (tier, streams_30d, cost...) as doubles, NaN where null.</summary>
    public required IReadOnlyDictionary<string, double[]> Analysis { get; init; }

    /// <summary>Analysis columns holding text (modality, slot), as strings.</summary>
    public required IReadOnlyDictionary<string, string?[]> AnalysisText { get; init; }

    /// <summary>Key columns, carried through as text.</summary>
    public required IReadOnlyDictionary<string, string?[]> Keys { get; init; }
}
