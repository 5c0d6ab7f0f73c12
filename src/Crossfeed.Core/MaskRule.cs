namespace Crossfeed.Core;

public sealed record MaskRule(string Source, IReadOnlyList<string> Tasks, float Weight);
