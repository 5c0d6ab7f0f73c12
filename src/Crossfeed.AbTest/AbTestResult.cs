namespace Crossfeed.AbTest;

/// <summary>Everything `abtest` writes to results.json.</summary>
public sealed record AbTestResult(
    string World,
    int FirstDay,
    int LastDay,
    AbTestOptions Options,
    AbArmSummary Control,
    AbArmSummary Treatment,
    IReadOnlyList<AbSegment> Segments,
    double ElapsedSeconds)
{
    public AbSegment? Segment(string channel, string slice) => Segments.FirstOrDefault(s => s.Channel == channel && s.Slice == slice);
}
