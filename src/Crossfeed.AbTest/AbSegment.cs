namespace Crossfeed.AbTest;

/// <summary>One slice of the served impressions (channel, and all / a tier / less-streamed / rest / a modality) with both arms' figures and the changes.</summary>
public sealed record AbSegment(string Channel, string Slice, ArmFigures Control, ArmFigures Treatment, IReadOnlyDictionary<AbMetric, AbChange> Changes);
