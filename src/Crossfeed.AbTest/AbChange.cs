namespace Crossfeed.AbTest;

/// <summary>
/// Relative change of treatment against control in percent, on the pooled replays; with the 95% interval of a
/// user-level bootstrap (paired: both arms serve the same users) and, from two replays on, the mean of the
/// per-replay changes with its Student-t interval.
/// </summary>
public sealed record AbChange(double? Percent, double? BootstrapLow, double? BootstrapHigh, double? SeedMean, double? SeedLow, double? SeedHigh);
