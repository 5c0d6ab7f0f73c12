using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>
/// Draws the rows (indices into the training split) of each training batch. The trainer builds one for the
/// whole run from the training seed (a resumed run skips the batches already trained on), so every row of
/// a source comes up once before any repeats, across epochs. An epoch is the rows this model draws
/// (the rows kept by downsampling, of the sources with a share above 0) divided by the batch size.
/// </summary>
public sealed class TrainingSampler : ITrainingSampler
{
    private readonly EncodedSplit _train;
    private readonly IBatchSampler _inner;
    private readonly int[]? _kept;
    private readonly int[] _buffer;

    private TrainingSampler(EncodedSplit train, IBatchSampler inner, int[]? kept)
    {
        _train = train;
        _inner = inner;
        _kept = kept;
        _buffer = new int[inner.BatchSize];
    }

    /// <summary>Downsampling applied before sampling (empty when none), with the realised rates.</summary>
    public IReadOnlyList<AppliedDownsample> Downsampled { get; private init; } = [];

    /// <summary>The configured sampler over a training split: optional majority downsampling, then balanced or natural batches.</summary>
    public static TrainingSampler Create(ModelConfig model, DatasetConfig dataset, EncodedSplit train, int seed)
    {
        var spec = model.Sampling;
        int[]? kept = null;
        IReadOnlyList<AppliedDownsample> applied = [];
        ReadOnlySpan<int> source = train.Source;
        if (spec.Downsample.Count > 0)
        {
            var modality = train.AnalysisText.GetValueOrDefault("modality");
            var result = Downsampler.Apply(train.Source, dataset.Source.Values, modality, spec.Downsample, seed);
            kept = result.Rows;
            applied = result.Rates;
            var sub = new int[kept.Length];
            for (int i = 0; i < kept.Length; i++) sub[i] = train.Source[kept[i]];
            source = sub;
        }
        IBatchSampler inner = spec.Mode == SamplingMode.Balanced
            ? new SourceBalancedSampler(source, dataset.Source.Values.Select(v => spec.Shares.GetValueOrDefault(v)).ToArray(),
                                        model.Training.BatchSize, seed, dataset.Source.Values)
            : new NaturalSampler(source.Length, model.Training.BatchSize, seed);
        return new TrainingSampler(train, inner, kept) { Downsampled = applied };
    }

    /// <summary>Rows this model draws from: those kept by downsampling, of the sources it samples.</summary>
    public int RowsDrawn => _inner.RowsDrawn;

    public TrainingBatch Next()
    {
        var rows = NextRows();
        return new TrainingBatch(_train, rows, rows);
    }

    public void Skip() => NextRows();

    private int[] NextRows()
    {
        int n = _inner.NextBatch(_buffer);
        var rows = _buffer.AsSpan(0, n).ToArray();
        if (_kept is not null)
            for (int i = 0; i < rows.Length; i++) rows[i] = _kept[rows[i]];
        return rows;
    }
}
