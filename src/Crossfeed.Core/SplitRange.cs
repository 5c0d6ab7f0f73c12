namespace Crossfeed.Core;

public sealed record SplitRange(double From, double To)
{
    public bool Contains(double v) => v >= From && v < To;
}
