namespace Crossfeed.Core;

public sealed record LabelSpec(string Name, string Column, IReadOnlyList<string> Sources, string? Truth);
