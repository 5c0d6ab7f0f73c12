using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training;

/// <summary>Batch inference in eval mode without gradients.</summary>
public static class Predictor
{
    /// <summary>Logits per task (outer index) and row (inner index), rows in split order.</summary>
    public static float[][] PredictLogits(MultiTaskModel net, HostBatchBuilder builder, EncodedSplit split, int batchSize)
    {
        float[][]? result = null;
        var wasTraining = net.training;
        net.eval();
        try
        {
            using var _ = torch.no_grad();
            var rows = new int[Math.Min(batchSize, Math.Max(1, split.Count))];
            for (int start = 0; start < split.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, split.Count - start);
                for (int i = 0; i < n; i++) rows[i] = start + i;
                using var scope = torch.NewDisposeScope();
                var logits = net.call(new DeviceBatch(builder.Build(split, rows.AsSpan(0, n))));
                int tasks = (int)logits.shape[1];
                result ??= Enumerable.Range(0, tasks).Select(_ => new float[split.Count]).ToArray();
                var values = logits.data<float>().ToArray();
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

    /// <summary>Probabilities per task and row: sigmoid(logit / T) with per-task temperatures (1 when not given).</summary>
    public static float[][] Predict(MultiTaskModel net, HostBatchBuilder builder, EncodedSplit split, int batchSize,
                                    float[]? temperatures = null)
    {
        var logits = PredictLogits(net, builder, split, batchSize);
        for (int k = 0; k < logits.Length; k++)
            Sigmoid(logits[k], temperatures?[k] ?? 1f);
        return logits;
    }

    /// <summary>In place: x := sigmoid(x / t).</summary>
    public static void Sigmoid(float[] logits, float t)
    {
        for (int i = 0; i < logits.Length; i++) logits[i] = (float)(1 / (1 + Math.Exp(-logits[i] / t)));
    }
}
