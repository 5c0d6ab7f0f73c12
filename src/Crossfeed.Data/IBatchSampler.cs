namespace Crossfeed.Data;

/// <summary>
/// Produces mini-batches as row indices into one split. Samplers are stateful streams: the same seed
/// gives the same sequence of batches. An epoch is ceil(RowsDrawn / BatchSize) batches.
/// </summary>
public interface IBatchSampler
{
    int BatchSize { get; }

    /// <summary>The rows the sampler draws from (a source with share 0 is never drawn).</summary>
    int RowsDrawn { get; }

    /// <summary>ceil(<see cref="RowsDrawn"/> / <see cref="BatchSize"/>), at least 1.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>Writes the next batch into rows (length at least BatchSize) and returns how many rows it has.</summary>
    int NextBatch(Span<int> rows);
}
