using Crossfeed.Nn;

namespace Crossfeed.Training;

/// <summary>
/// How to run a training: checkpoints and resume, progress and cancellation. StopAfterSteps stops (as if
/// killed) after that many steps, for crash/resume tests; AfterStep is called after every step with the
/// step number and the training rows it drew (tests watch live tensors and the sampling with it); Initialize is called on the new model before the
/// optimisers are built (transfer: copy weights, freeze).
/// </summary>
public sealed record TrainOptions(
    string? CheckpointDir = null,
    bool Resume = false,
    IProgress<TrainProgress>? Progress = null,
    CancellationToken Cancellation = default,
    long StopAfterSteps = 0,
    Action<long, int[]>? AfterStep = null,
    Action<MultiTaskModel>? Initialize = null);
