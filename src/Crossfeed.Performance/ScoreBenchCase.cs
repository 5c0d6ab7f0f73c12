namespace Crossfeed.Performance;

/// <summary>Latency of one scorer for one request size, in milliseconds over the timed repetitions.</summary>
public sealed record ScoreBenchCase(string Scorer, int Candidates, double P50Ms, double P99Ms, int Repetitions);
