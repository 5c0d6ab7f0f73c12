namespace Crossfeed.Experiments;

/// <summary>
/// ROC-AUC of a variant on all of a metric's test rows: the mean over seeds and its 95% interval (across
/// seeds with 3 or more, else the percentile interval of the same bootstrap resamples as AP), per seed.
/// </summary>
public sealed record AucSummary(double? RocAuc, double? Low, double? High, IReadOnlyList<double?> PerSeed);
