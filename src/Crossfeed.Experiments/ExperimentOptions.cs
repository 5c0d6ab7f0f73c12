namespace Crossfeed.Experiments;

/// <summary>How a suite runs: seeds, quick mode, bootstrap, error handling, progress and cancellation.</summary>
public sealed record ExperimentOptions
{
    /// <summary>Seeds per variant (training seed + 0, 1, ...). From 3 on, CIs come from the spread across seeds.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>Cap every model to one epoch of <see cref="QuickSteps"/> steps and LightGBM to <see cref="QuickIterations"/> trees.</summary>
    public bool Quick { get; init; }

    public int QuickSteps { get; init; } = 300;
    public int QuickIterations { get; init; } = 60;
    public int BootstrapResamples { get; init; } = 200;
    public int BootstrapSeed { get; init; } = 20260;

    /// <summary>Record a variant that throws (other than bad input or cancellation) as failed and go on with the next.</summary>
    public bool ContinueOnError { get; init; } = true;

    public IProgress<ExperimentProgress>? Progress { get; init; }
    public CancellationToken Cancellation { get; init; }
}
