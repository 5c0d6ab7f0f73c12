using Crossfeed.Core;

namespace Crossfeed.Performance;

public sealed record TrainBenchCase(string Name, long TableRows, EmbeddingOptimizer Optimizer, double ExamplesPerSecond, double MedianStepMs);
