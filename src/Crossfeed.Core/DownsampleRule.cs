namespace Crossfeed.Core;

public sealed record DownsampleRule(string Source, string? Modality, double Rate);
