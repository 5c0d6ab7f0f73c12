namespace Crossfeed.Data;

/// <summary>
/// What <c>crossfeed init</c> was asked: the file to describe, where the YAML goes (paths in it are relative to
/// it), the labels, an optional source column, an optional split column, and an optional separate test file
/// (then the last <see cref="ValFraction"/> of <see cref="From"/>'s rows are the validation split).
/// </summary>
public sealed record DatasetInitRequest(
    string From,
    string Out,
    IReadOnlyList<InitLabel> Labels,
    string? Source = null,
    string? SplitColumn = null,
    string? Test = null,
    double ValFraction = 0.1,
    int Bins = 16);
