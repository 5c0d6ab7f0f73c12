namespace Crossfeed.Performance;

public sealed record TrainBenchResult(
    IReadOnlyList<TrainBenchCase> Cases,
    double LargeOverSmall,
    double LazyOverDense,
    double DenseGflops,
    double MatmulGflops,
    double DenseFractionOfMatmul,
    int BatchSize,
    int Threads);
