namespace Crossfeed.Core;

public sealed record TrainingSpec(
    int Epochs,
    int BatchSize,
    double LearningRate,
    double EmbeddingLearningRate,
    double WeightDecay,
    double ClipNorm,
    LrSchedule Schedule,
    int WarmupSteps,
    IReadOnlyList<string> EarlyStoppingTasks,
    int Patience,
    int Seed,
    int CheckpointEvery,
    LossBalancing Balancing,
    EmbeddingOptimizer EmbeddingOptimizer,
    double Dropout,
    int MaxStepsPerEpoch,
    string Device = TrainingSpec.Cpu)
{
    public const string Cpu = "cpu";

    /// <summary>True for cpu, cuda and cuda:N (N a device index): what training.device accepts.</summary>
    public static bool IsDevice(string device) =>
        device is Cpu or "cuda" || device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}
