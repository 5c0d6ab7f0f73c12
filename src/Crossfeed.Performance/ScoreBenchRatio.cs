namespace Crossfeed.Performance;

/// <summary>Median latency of the plain ranker and of LightGBM over the factorised ranker's, for one request size (measured in one run).</summary>
public sealed record ScoreBenchRatio(int Candidates, double PlainOverFactorised, double LightGbmOverFactorised);
