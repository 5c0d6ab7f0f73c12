namespace Crossfeed.Training.Ranking;

/// <summary>A candidate's calibrated probability for every task whose sources and scope admit it (task name to probability, at the model's float precision).</summary>
public sealed record CandidateScores(string Id, IReadOnlyDictionary<string, float> Probabilities);
