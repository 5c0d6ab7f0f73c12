using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training;

/// <summary>Batch inference in eval mode without gradients.</summary>
public static class Predictor
{
    /// <summary>Probabilities per task (outer index) and row (inner index), rows in split order.</summary>
    public static float[][] Predict(MultiTaskModel net, HostBatchBuilder builder, EncodedSplit split, int batchSize,
                                    float[]? temperatures = null)
    {
        int tasks = -1;
        float[][] result = [];
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
                if (temperatures is not null) logits = logits / torch.tensor(temperatures);
                var probs = torch.sigmoid(logits).data<float>().ToArray();
                if (tasks < 0)
                {
                    tasks = (int)logits.shape[1];
                    result = Enumerable.Range(0, tasks).Select(_ => new float[split.Count]).ToArray();
                }
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < tasks; k++)
                        result[k][start + i] = probs[i * tasks + k];
            }
        }
        finally
        {
            if (wasTraining) net.train();
        }
        return result;
    }
}
