namespace Crossfeed.Data;

/// <summary>Where a reader is: the file (or query) and the 1-based data row within it.</summary>
internal interface IRowPosition
{
    string File { get; }
    long Row { get; }
}
