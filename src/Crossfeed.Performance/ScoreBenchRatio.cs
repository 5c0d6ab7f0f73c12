namespace Crossfeed.Performance;

/// <summary>
/// For one request size, median latencies over each other (measured in one run): plain over factorised, plain over
/// factorised with the candidates' encoder output cached (warm: the same candidates every request), LightGBM over factorised.
/// </summary>
public sealed record ScoreBenchRatio(int Candidates, double PlainOverFactorised, double PlainOverCached, double LightGbmOverFactorised);
