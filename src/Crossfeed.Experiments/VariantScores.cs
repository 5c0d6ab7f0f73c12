namespace Crossfeed.Experiments;

/// <summary>What a variant's run returns: per metric name the scores of the metric's rows (in their order), and the training seconds.</summary>
public sealed record VariantScores(IReadOnlyDictionary<string, float[]> Scores, double Seconds);
