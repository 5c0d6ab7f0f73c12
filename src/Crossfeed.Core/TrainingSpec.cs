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
    int MaxStepsPerEpoch);
