namespace Crossfeed.Core;

public sealed record SamplingSpec(
    SamplingMode Mode,
    IReadOnlyDictionary<string, double> Shares,
    IReadOnlyList<DownsampleRule> Downsample);
