namespace Crossfeed.Simulation;

/// <summary>AP of the true probability against the label on the test days; Source "all" pools both.</summary>
public sealed record OracleAp(string Label, string Source, long N, long Positives, double? Ap);
