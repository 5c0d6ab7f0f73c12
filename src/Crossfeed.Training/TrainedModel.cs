using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training;

/// <summary>
/// A trained multi-task model, ready to score: the network and everything needed to feed it (feature
/// layout, preprocessor, dataset config), its model config (the tasks), the per-task temperatures and how
/// it was trained. Returned by <c>Trainer.Fit</c>, <see cref="Finetuner.Fit"/> and
/// <see cref="Bundle.Load"/>; it owns the network and disposes it.
/// </summary>
/// <remarks>
/// Immutable, so there is no calibrated copy of an instance (two instances would share, and both dispose,
/// one network): <c>calibrate</c> writes the temperatures into the bundle's manifest
/// (<see cref="Bundle.WriteCalibration"/>) and the next <see cref="Bundle.Load"/> returns a model that
/// applies them. Prediction switches the network to eval mode for the call and is not thread-safe.
/// </remarks>
public sealed class TrainedModel : IDisposable
{
    private readonly float[] _temperatures;

    internal TrainedModel(MultiTaskModel network, FeatureLayout layout, Preprocessor preprocessor, DatasetConfig dataset,
                          ModelConfig model, TrainingHistory history, IReadOnlyList<float>? temperatures = null, string? directory = null)
    {
        var temps = temperatures?.ToArray() ?? model.Tasks.Select(_ => 1f).ToArray();
        if (temps.Length != model.Tasks.Count)
            throw new ArgumentException($"{temps.Length} temperatures for {model.Tasks.Count} tasks", nameof(temperatures));
        if (temps.Any(t => !float.IsFinite(t) || t <= 0))
            throw new ArgumentException("temperatures must be finite and positive", nameof(temperatures));
        Network = network;
        Layout = layout;
        Preprocessor = preprocessor;
        Dataset = dataset;
        Model = model;
        History = history;
        _temperatures = temps;
        Directory = directory;
    }

    public MultiTaskModel Network { get; }
    public FeatureLayout Layout { get; }
    public Preprocessor Preprocessor { get; }
    public DatasetConfig Dataset { get; }
    public ModelConfig Model { get; }
    public TrainingHistory History { get; }

    /// <summary>Per task temperature (1 = uncalibrated); <see cref="Predict"/> divides logits by it before the sigmoid.</summary>
    public IReadOnlyList<float> Temperatures => _temperatures;

    /// <summary>The bundle folder this model was loaded from; null for a model trained in this process.</summary>
    public string? Directory { get; }

    /// <summary>
    /// Logits per task (outer index) and row (inner index), rows in split order, on the natural scale: a task
    /// trained with negatives kept at rate r gets ln r added (<see cref="TaskSpec.LogitOffset"/>), which undoes
    /// the downsampling exactly before any temperature.
    /// </summary>
    public float[][] PredictLogits(EncodedSplit split)
    {
        var logits = Logits(Network, new HostBatchBuilder(Layout), split, Model.Training.BatchSize);
        for (int k = 0; k < logits.Length; k++) Correct(logits[k], k);
        return logits;
    }

    /// <summary>Adds task <paramref name="task"/>'s negative-downsampling correction (ln keep_negatives) to its logits, in place.</summary>
    public void Correct(float[] logits, int task)
    {
        var offset = Model.Tasks[task].LogitOffset;
        if (offset == 0) return;
        for (int i = 0; i < logits.Length; i++) logits[i] += offset;
    }

    /// <summary>Calibrated probabilities per task and row: sigmoid((logit + ln keep_negatives) / T) with the model's temperatures.</summary>
    public float[][] Predict(EncodedSplit split)
    {
        var logits = PredictLogits(split);
        return logits.Select((l, k) => Probabilities(l, _temperatures[k])).ToArray();
    }

    /// <summary>sigmoid(logit / temperature) per value; temperature 1 gives the uncalibrated probabilities.</summary>
    public static float[] Probabilities(float[] logits, float temperature)
    {
        var p = new float[logits.Length];
        for (int i = 0; i < logits.Length; i++) p[i] = (float)(1 / (1 + Math.Exp(-logits[i] / temperature)));
        return p;
    }

    /// <summary>Batch inference in eval mode without gradients (also used on the network while it trains).</summary>
    internal static float[][] Logits(MultiTaskModel net, HostBatchBuilder builder, EncodedSplit split, int batchSize)
    {
        float[][]? result = null;
        var wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = torch.no_grad();
            var rows = new int[Math.Min(batchSize, Math.Max(1, split.Count))];
            var device = net.Device;
            for (int start = 0; start < split.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, split.Count - start);
                for (int i = 0; i < n; i++) rows[i] = start + i;
                using var scope = torch.NewDisposeScope();
                var logits = net.call(new DeviceBatch(builder.Build(split, rows.AsSpan(0, n)), device));
                int tasks = (int)logits.shape[1];
                result ??= Enumerable.Range(0, tasks).Select(_ => new float[split.Count]).ToArray();
                var values = logits.cpu().data<float>().ToArray();
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < tasks; k++)
                        result[k][start + i] = values[i * tasks + k];
            }
        }
        finally
        {
            if (wasTraining) net.train();
        }
        return result ?? Enumerable.Range(0, net.TaskCount).Select(_ => Array.Empty<float>()).ToArray();
    }

    public void Dispose() => Network.Dispose();
}
