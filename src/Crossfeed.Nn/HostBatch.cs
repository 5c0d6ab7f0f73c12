using Crossfeed.Data;

namespace Crossfeed.Nn;

/// <summary>
/// A mini-batch gathered on the host from an <see cref="EncodedSplit"/>: for each table the distinct
/// ids the batch touches, and for each categorical feature the local positions into those ids.
/// Only the distinct rows are looked up and updated (lazy, row-wise optimisation).
/// </summary>
public sealed class HostBatch
{
    public required int Size { get; init; }
    public required long[][] TableIds { get; init; }
    /// <summary>Per categorical input: local row per example (single) or per list item (list).</summary>
    public required long[][] Local { get; init; }
    /// <summary>Per categorical input that is a list: the example each item belongs to; null otherwise.</summary>
    public required long[]?[] ListRow { get; init; }
    /// <summary>Per categorical input that is a list: items per example (at least 1 to avoid dividing by 0).</summary>
    public required float[]?[] ListCount { get; init; }
    public required float[] Dense { get; init; }
    public required int[] Source { get; init; }
}
