using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>A current encoded cache opened for reading by row range: its folder, the preprocessor it was encoded with, and its load report.</summary>
public sealed record OpenedCache(string Dir, Preprocessor Preprocessor, LoadReport Report)
{
    /// <summary>One split, read by row range (dispose it when done).</summary>
    public CachedSplit Split(SplitName split) => CachedSplit.Open(Path.Combine(Dir, EncodedCache.SplitDir(split)));

    /// <summary>The bytes of one split's files on disk (about what it takes in memory when loaded).</summary>
    public long Bytes(SplitName split) => EncodedCache.SizeOnDisk(Path.Combine(Dir, EncodedCache.SplitDir(split)));
}
