namespace Crossfeed.Training;

/// <summary>
/// How a model was trained: one record per finished epoch, the epoch whose weights it kept (0: none, e.g.
/// zero-shot), and whether the run finished (false when it stopped early on request: StopAfterSteps or cancellation).
/// </summary>
public sealed record TrainingHistory
{
    public TrainingHistory(IReadOnlyList<EpochRecord> epochs, int bestEpoch, bool completed)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(bestEpoch);
        Epochs = epochs;
        BestEpoch = bestEpoch;
        Completed = completed;
    }

    public IReadOnlyList<EpochRecord> Epochs { get; }
    public int BestEpoch { get; }
    public bool Completed { get; }
}
