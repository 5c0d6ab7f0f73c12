namespace Crossfeed.Serving;

/// <summary>
/// A scored candidate: its objective score (null when no task of the objective admits it) and the calibrated
/// probability of every task whose sources and scope admit it.
/// </summary>
public sealed record RankedCandidate(string Id, string Source, float? Score, IReadOnlyDictionary<string, float> Probabilities);
