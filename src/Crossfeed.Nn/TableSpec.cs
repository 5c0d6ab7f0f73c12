namespace Crossfeed.Nn;

/// <summary>An embedding table: owned by one categorical feature, possibly shared by others.</summary>
public sealed record TableSpec(string Name, int Rows, int Dim);
