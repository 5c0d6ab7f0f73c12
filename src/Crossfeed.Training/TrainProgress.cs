namespace Crossfeed.Training;

/// <summary>What a running training reports, a few times a second at most.</summary>
public sealed record TrainProgress(
    int Epoch, int Epochs, long Step, long TotalSteps, double ExamplesPerSecond,
    IReadOnlyDictionary<string, double> TaskLoss, string? Message = null);
