using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>
/// One trained contender of a suite (the first variant of a suite is its baseline). A variant runs
/// itself: it trains or fits on the suite's splits and scores each metric's test rows; the runner
/// only orchestrates and computes the metrics.
/// </summary>
public abstract record ExperimentVariant(string Name, string Description)
{
    /// <summary>"model", "lightgbm"... (results.json).</summary>
    public abstract string Kind { get; }

    /// <summary>Trains or fits (seed offset <see cref="VariantRun.SeedOffset"/>) and returns the scores of each metric it reports, on that metric's rows.</summary>
    public abstract VariantScores Run(VariantRun run);

    /// <summary>
    /// What scored the metric, for the reports (null: the variant does not report it). <paramref name="scored"/>
    /// is true when the variant's run finished (a routed metric then names only the heads that scored rows).
    /// </summary>
    public abstract string? Head(MetricRows metric, EncodedSplit test, bool scored);

    /// <summary>True when the metric is scored by a head built for other rows (flagged in the reports).</summary>
    public virtual bool Borrows(ExperimentMetric metric) => false;
}
