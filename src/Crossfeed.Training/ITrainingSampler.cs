using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>
/// Draws the training batches of a run: <see cref="TrainingSampler"/> over a split in memory, <see cref="OutOfCoreSampler"/>
/// over a cached split read block by block. Both draw every row of a source once before any repeats, across epochs.
/// </summary>
public interface ITrainingSampler
{
    /// <summary>Rows this model draws from: those kept by downsampling, of the sources it samples.</summary>
    int RowsDrawn { get; }

    /// <summary>Downsampling applied before sampling (empty when none), with the realised rates.</summary>
    IReadOnlyList<AppliedDownsample> Downsampled { get; }

    /// <summary>The next batch.</summary>
    TrainingBatch Next();

    /// <summary>Draws the next batch without reading its data (a resumed run skips the batches already trained on).</summary>
    void Skip();
}

/// <summary>What every sampler shares.</summary>
public static class TrainingSamplers
{
    /// <summary>Steps of one epoch: ceil(rows drawn / batch size), at most <c>max_steps_per_epoch</c> when set.</summary>
    public static long StepsPerEpoch(this ITrainingSampler sampler, TrainingSpec spec)
    {
        long steps = (sampler.RowsDrawn + (long)spec.BatchSize - 1) / spec.BatchSize;
        return spec.MaxStepsPerEpoch > 0 ? Math.Min(steps, spec.MaxStepsPerEpoch) : steps;
    }
}
