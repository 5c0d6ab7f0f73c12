namespace Crossfeed.Core.Metrics;

/// <summary>One point of a reliability curve: the mean predicted probability and the observed rate in a bin, and the bin's total row weight.</summary>
public sealed record ReliabilityBin(double MeanPredicted, double FractionPositive, double Weight);
