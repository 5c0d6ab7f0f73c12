namespace Crossfeed.Experiments;

/// <summary>
/// Progress of a suite: run <see cref="Run"/> of <see cref="Runs"/> (variants x seeds), the overall
/// fraction done, and a short text. <see cref="IsMessage"/> marks a line worth printing (epoch summaries).
/// </summary>
public sealed record ExperimentProgress(int Run, int Runs, string Variant, int Seed, double Fraction, string Text, bool IsMessage = false);
