namespace Crossfeed.Simulation;

/// <summary>Observed rate of one label in one source (rows where the label is logged).</summary>
public sealed record LabelRate(string Label, string Source, long Observed, long Positives, double Rate, double MeanProbability);
