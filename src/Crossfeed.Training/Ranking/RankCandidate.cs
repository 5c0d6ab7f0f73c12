namespace Crossfeed.Training.Ranking;

/// <summary>
/// One candidate to score for a user: a caller-chosen id, its source (a value of the dataset's source
/// column, e.g. "promotion" or "ad") and its raw feature values keyed by the dataset YAML's column
/// names (show, creative and scope columns such as modality or slot). Values are what a log cell holds:
/// string, long, double, bool, a string/long/double array (lists, vectors), or null (missing).
/// </summary>
public sealed record RankCandidate(string Id, string Source, IReadOnlyDictionary<string, object?> Features);
