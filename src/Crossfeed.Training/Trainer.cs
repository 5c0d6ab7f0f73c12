using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>
/// Trains a <see cref="MultiTaskModel"/>: source-balanced batches, masked BCE per task, dense Adam plus
/// row-wise lazy Adam on embedding tables, warm-up and schedule, clipping, early stopping on validation
/// AP, atomic checkpoints with resume. One dispose scope per step keeps the live tensor count flat.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains a new model on splits encoded with <paramref name="preprocessor"/> (checked against the dataset
    /// first); the returned model carries the preprocessor so it can be saved and score new rows.
    /// </summary>
    public static TrainedModel Fit(ModelConfig model, DatasetConfig dataset, EncodedSplit train, EncodedSplit val,
                                   Preprocessor preprocessor, TrainOptions options) =>
        Fit(model, dataset, () => TrainingSampler.Create(model, dataset, train, model.Training.Seed), () => [val], preprocessor, options);

    /// <summary>
    /// Validation rows out of core at most: a larger validation split is scored on every s-th block (see
    /// <see cref="CachedSplit.Blocks"/>), so the scores kept for validation AP do not grow with the split.
    /// </summary>
    public const int MaxValidationRows = 2_000_000;

    /// <summary>
    /// Trains out of core (docs/data.md, "Training out of core"): batches are read block by block from the cached
    /// training split and validation streams the cached validation split, so memory does not grow with their rows.
    /// </summary>
    public static TrainedModel Fit(ModelConfig model, DatasetConfig dataset, CachedSplit train, CachedSplit val,
                                   Preprocessor preprocessor, TrainOptions options,
                                   int blockRows = OutOfCoreSampler.DefaultBlockRows, int bufferBlocks = OutOfCoreSampler.DefaultBufferBlocks,
                                   int maxValidationRows = MaxValidationRows) =>
        Fit(model, dataset, () => OutOfCoreSampler.Create(model, dataset, train, model.Training.Seed, blockRows, bufferBlocks),
            () => val.Blocks(blockRows, Math.Max(blockRows, maxValidationRows)), preprocessor, options);

    private static TrainedModel Fit(ModelConfig model, DatasetConfig dataset, Func<ITrainingSampler> sampler, Func<IEnumerable<EncodedSplit>> val,
                                    Preprocessor preprocessor, TrainOptions options)
    {
        preprocessor.CheckCompatible(dataset);
        var spec = model.Training;
        torch.manual_seed(spec.Seed);
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
        var layout = FeatureLayout.Build(dataset, model, preprocessor.TableRows);
        var device = TrainingDevice(spec);
        var net = new MultiTaskModel(layout, model);
        try
        {
            options.Initialize?.Invoke(net);
            if (device.type != DeviceType.CPU) net.to(device);
            var history = Run(model, dataset, sampler(), val, layout, net, options);
            return new TrainedModel(net, layout, preprocessor, dataset, model, history);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    private static TrainingHistory Run(ModelConfig model, DatasetConfig dataset, ITrainingSampler sampler, Func<IEnumerable<EncodedSplit>> val,
                                   FeatureLayout layout, MultiTaskModel net, TrainOptions options)
    {
        var spec = model.Training;
        var targets = new TaskTargets(model, dataset);
        var settings = new AdamSettings(WeightDecay: spec.WeightDecay);
        using var balance = new LossBalancer(model, net.Device);
        using var dense = new DenseAdam(net.DenseParameters().Concat(balance.Parameters()), settings);
        using var lazy = new LazyAdam(
            net.Encoder.IsLazy ? net.Encoder.Tables.Select((t, i) => (layout.Tables[i].Name, t)) : [], settings);
        var builder = new HostBatchBuilder(layout);
        var idDropout = IdDropout.For(layout, model, dataset);

        // One sampler for the whole run: every row of a source comes up once before any repeats, across epochs.
        long stepsPerEpoch = sampler.StepsPerEpoch(spec);
        long totalSteps = stepsPerEpoch * spec.Epochs;

        var checkpoint = options.CheckpointDir is null ? null : new Checkpointer(options.CheckpointDir);
        var state = new RunState();
        long? lastCheckpointStep = null;
        if (options.Resume && checkpoint is not null && checkpoint.Exists)
        {
            state = checkpoint.Restore(net, dense, lazy, balance);
            lastCheckpointStep = state.Step;
        }
        for (long s = 0; s < state.Step; s++) sampler.Skip(); // a resumed run draws the batches an uninterrupted one would

        var history = new List<EpochRecord>(state.History);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long examplesSinceReport = 0;
        var lossSums = new double[targets.Count];
        long lossCount = 0;
        bool stoppedEarly = false;

        for (int epoch = state.Epoch; epoch < spec.Epochs && state.BadEpochs < spec.Patience; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double epochLoss = 0;
            long epochSteps = 0;
            net.train();
            // A frozen encoder keeps its batch-norm statistics too, so the bundle's own heads score exactly as before.
            if (net.Encoder.Frozen)
                foreach (var m in net.modules().OfType<TorchSharp.Modules.BatchNorm1d>()) m.eval();
            for (long s = state.StepInEpoch; s < stepsPerEpoch; s++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var batch = sampler.Next();
                state.Step++;
                var lr = Schedule(spec, state.Step, totalSteps);
                var (taskLoss, failure) = TrainStep(net, builder, idDropout, targets, balance, dense, lazy, batch.Data, batch.Rows, lr, spec, state.Step);
                if (failure is not null)
                    throw new RunFailedException($"training stopped at step {state.Step} (epoch {epoch + 1}): {failure}; nothing of this step was applied; "
                        + (lastCheckpointStep is { } saved && checkpoint is not null
                            ? $"the last good checkpoint (step {saved}) is kept in {options.CheckpointDir} (--resume continues from it)"
                            : $"no checkpoint was written yet (checkpoint_every: {spec.CheckpointEvery})")
                        + "; lower learning_rate / embedding_learning_rate or set clip_norm");
                for (int k = 0; k < taskLoss.Length; k++) lossSums[k] += taskLoss[k];
                epochLoss += taskLoss.Sum();
                epochSteps++;
                lossCount++;
                examplesSinceReport += batch.Rows.Length;
                state.StepInEpoch = s + 1;
                options.AfterStep?.Invoke(state.Step, batch.SplitRows);

                if (checkpoint is not null && state.Step % spec.CheckpointEvery == 0)
                {
                    checkpoint.Save(net, dense, lazy, balance, state with { Epoch = epoch, History = history });
                    lastCheckpointStep = state.Step;
                }
                var now = clock.Elapsed;
                if (options.Progress is not null && (now - lastReport).TotalSeconds >= 0.5)
                {
                    var rate = examplesSinceReport / Math.Max(1e-9, (now - lastReport).TotalSeconds);
                    options.Progress.Report(new TrainProgress(epoch + 1, spec.Epochs, state.Step, totalSteps, rate,
                        model.Tasks.Select((t, k) => (t.Name, lossSums[k] / Math.Max(1, lossCount))).ToDictionary(x => x.Name, x => x.Item2)));
                    lastReport = now;
                    examplesSinceReport = 0;
                    Array.Clear(lossSums);
                    lossCount = 0;
                }
                if (options.StopAfterSteps > 0 && state.Step >= options.StopAfterSteps)
                {
                    stoppedEarly = true;
                    break;
                }
            }
            if (stoppedEarly) break;

            var valAp = ValidationAp(net, builder, targets, model, val(), spec.BatchSize);
            var score = Mean(spec.EarlyStoppingTasks.Select(t => valAp[t]));
            history.Add(new EpochRecord(epoch + 1, epochLoss / Math.Max(1, epochSteps), valAp, epochClock.Elapsed.TotalSeconds));
            options.Progress?.Report(new TrainProgress(epoch + 1, spec.Epochs, state.Step, totalSteps, 0,
                new Dictionary<string, double>(),
                $"epoch {epoch + 1}: validation AP " + string.Join(", ", valAp.Select(kv => $"{kv.Key} {Fmt(kv.Value)}"))));
            if (score > state.BestScore)
            {
                state.BestScore = score;
                state.BestEpoch = epoch + 1;
                state.BadEpochs = 0;
                checkpoint?.SaveBest(net);
                state.BestInMemory = Snapshot(net, state.BestInMemory);
            }
            else
            {
                state.BadEpochs++;
            }
            state.Epoch = epoch + 1;
            state.StepInEpoch = 0;
            checkpoint?.Save(net, dense, lazy, balance, state with { History = history });
            lastCheckpointStep = checkpoint is null ? null : state.Step;
        }

        if (!stoppedEarly) RestoreBest(net, state, checkpoint);
        DisposeSnapshot(state.BestInMemory);
        return new TrainingHistory(history, state.BestEpoch, !stoppedEarly);
    }

    /// <summary>One step; returns the loss per task, or why the step was not applied (a non-finite loss or gradient).</summary>
    private static (double[] Losses, string? Failure) TrainStep(MultiTaskModel net, HostBatchBuilder builder, IdDropout? idDropout, TaskTargets targets, LossBalancer balance,
                                      DenseAdam dense, LazyAdam lazy, EncodedSplit train, int[] rows, double lr,
                                      TrainingSpec spec, long step)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(spec.Seed * 1_000_003L + step); // dropout identical after a resume
        var host = builder.Build(train, rows, idDropout, step);
        var device = net.Device;
        var batch = new DeviceBatch(host, device);
        var (yArr, wArr) = targets.Build(train, rows);
        var y = torch.tensor(yArr, device: device).reshape(rows.Length, targets.Count);
        var w = torch.tensor(wArr, device: device).reshape(rows.Length, targets.Count);
        var (shared, logits) = net.ForwardParts(batch);
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction: nn.Reduction.None);
        var perTask = (bce * w).sum(0L) / w.sum(0L).clamp_min(1);
        var losses = perTask.detach().cpu().data<float>().ToArray().Select(v => (double)v).ToArray();
        for (int k = 0; k < losses.Length; k++)
            if (!double.IsFinite(losses[k])) return (losses, $"task '{targets.Name(k)}' has a non-finite loss ({losses[k]})");

        net.zero_grad();
        var trainable = net.parameters().Where(p => p.requires_grad).Cast<Tensor>()
            .Concat(net.Encoder.IsLazy ? batch.Rows : []).ToList();
        balance.Backward(perTask, shared, trainable);
        var norm = ClipGradients(net, batch, spec.ClipNorm);
        if (!double.IsFinite(norm))
            return (losses, $"the gradient of the summed loss of tasks {string.Join(", ", Enumerable.Range(0, losses.Length).Select(targets.Name))} is not finite (norm {norm})");
        dense.Step(lr, step);
        if (net.Encoder.IsLazy)
        {
            for (int t = 0; t < batch.Rows.Length; t++)
            {
                var g = batch.Rows[t].grad;
                if (g is not null) lazy.Step(t, batch.TableIds[t], g, lr * spec.EmbeddingLearningRate / spec.LearningRate, step);
            }
        }
        return (losses, null);
    }

    /// <summary>Scales the gradients to <paramref name="maxNorm"/> when it is positive and exceeded; returns their norm before scaling.</summary>
    private static double ClipGradients(MultiTaskModel net, DeviceBatch batch, double maxNorm)
    {
        var rows = net.Encoder.IsLazy && !net.Encoder.Frozen ? batch.Rows.Select(r => r.grad) : [];
        var grads = net.parameters().Select(p => p.grad).Concat(rows)
            .Where(g => g is not null).Cast<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        using var _ = torch.no_grad();
        var total = torch.stack(grads.Select(g => g.pow(2).sum())).sum().sqrt().item<float>();
        if (maxNorm <= 0 || total <= maxNorm || !float.IsFinite(total)) return total;
        var factor = maxNorm / (total + 1e-6);
        foreach (var g in grads) g.mul_(factor);
        return total;
    }

    /// <summary>
    /// The device of training.device. CUDA needs TorchSharp's CUDA runtime (the TorchSharp-cuda-linux package instead of
    /// TorchSharp-cpu) and a visible GPU; without them the run stops before any work, naming the setting.
    /// </summary>
    public static Device TrainingDevice(TrainingSpec spec)
    {
        if (spec.Device == TrainingSpec.Cpu) return torch.CPU;
        int index = spec.Device == "cuda" ? 0 : int.Parse(spec.Device.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
        if (!torch.cuda.is_available())
            throw new BadInputException($"training.device: {spec.Device}: TorchSharp sees no CUDA device (this build carries TorchSharp's CPU runtime; " +
                                        "a GPU node needs the TorchSharp-cuda-linux package and an NVIDIA driver, see docs/scale.md)");
        if (index >= torch.cuda.device_count())
            throw new BadInputException($"training.device: {spec.Device}: there are {torch.cuda.device_count()} CUDA devices (0 to {torch.cuda.device_count() - 1})");
        return torch.device(DeviceType.CUDA, index);
    }

    /// <summary>Linear warm-up, then constant, cosine (to 10%) or halving each quarter of the run.</summary>
    public static double Schedule(TrainingSpec spec, long step, long totalSteps)
    {
        var lr = spec.LearningRate;
        if (spec.WarmupSteps > 0 && step <= spec.WarmupSteps) return lr * step / spec.WarmupSteps;
        var progress = Math.Clamp((double)(step - spec.WarmupSteps) / Math.Max(1, totalSteps - spec.WarmupSteps), 0, 1);
        return spec.Schedule switch
        {
            LrSchedule.Cosine => lr * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress))),
            LrSchedule.Step => lr * Math.Pow(0.5, Math.Floor(progress * 4)),
            _ => lr,
        };
    }

    /// <summary>AP per task on the rows where that task is evaluated, over the validation split read in one or more blocks.</summary>
    internal static Dictionary<string, double?> ValidationAp(MultiTaskModel net, HostBatchBuilder builder, TaskTargets targets,
                                                              ModelConfig model, IEnumerable<EncodedSplit> blocks, int batchSize)
    {
        var s = model.Tasks.Select(_ => new List<float>()).ToArray();
        var l = model.Tasks.Select(_ => new List<float>()).ToArray();
        foreach (var split in blocks)
        {
            var scores = TrainedModel.Logits(net, builder, split, batchSize).Select(x => TrainedModel.Probabilities(x, 1f)).ToArray();
            for (int k = 0; k < model.Tasks.Count; k++)
            {
                var keep = targets.EvaluatedRows(split, k);
                var labels = split.Labels[model.Tasks[k].Label];
                for (int i = 0; i < split.Count; i++)
                {
                    if (!keep[i]) continue;
                    s[k].Add(scores[k][i]);
                    l[k].Add(labels[i]);
                }
            }
        }
        return Enumerable.Range(0, model.Tasks.Count)
            .ToDictionary(k => model.Tasks[k].Name, k => BinaryMetrics.AveragePrecision(s[k].ToArray(), l[k].ToArray()));
    }

    private static double Mean(IEnumerable<double?> values)
    {
        var known = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return known.Count == 0 ? double.NegativeInfinity : known.Average();
    }

    private static string Fmt(double? v) => v is { } x ? x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static Dictionary<string, Tensor> Snapshot(MultiTaskModel net, Dictionary<string, Tensor>? previous)
    {
        DisposeSnapshot(previous);
        using var _ = torch.no_grad();
        return net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
    }

    private static void DisposeSnapshot(Dictionary<string, Tensor>? snapshot)
    {
        if (snapshot is null) return;
        foreach (var t in snapshot.Values) t.Dispose();
    }

    private static void RestoreBest(MultiTaskModel net, RunState state, Checkpointer? checkpoint)
    {
        using var _ = torch.no_grad();
        if (state.BestInMemory is { } best)
        {
            foreach (var (name, t) in net.state_dict()) t.copy_(best[name]);
        }
        else if (checkpoint?.HasBest == true)
        {
            checkpoint.LoadBest(net);
        }
    }
}
