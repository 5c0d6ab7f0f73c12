namespace Crossfeed.Core;

/// <summary>Exactly one of Path, Files or Query is set; paths are absolute after loading.</summary>
public sealed record InputSpec(
    string? Path,
    IReadOnlyDictionary<SplitName, string>? Files,
    string? Query,
    InputFormat Format,
    bool Header,
    IReadOnlyList<string> ColumnNames);
