using Crossfeed.Core.Metrics;
using Crossfeed.Data;
using Crossfeed.Training;

namespace Crossfeed.Evaluation.Calibration;

/// <summary>
/// Fits a temperature per task on validation rows (the rows each task is evaluated on), on logits already
/// corrected for negative downsampling (<see cref="TrainedModel.PredictLogits"/>): the correction shifts the
/// log-odds back to the natural rate and the temperature only rescales them (it has no bias term). Row
/// downsampling by source or modality thins training batches only, never the validation split; see
/// docs/evaluation.md for what it does and does not change.
/// </summary>
public static class Calibrator
{
    public static IReadOnlyList<TaskCalibration> Fit(TrainedModel bundle, EncodedSplit validation)
    {
        var model = bundle.Model;
        var logits = bundle.PredictLogits(validation);
        var targets = new TaskTargets(model, bundle.Dataset);
        var result = new List<TaskCalibration>();
        for (int k = 0; k < model.Tasks.Count; k++)
        {
            var keep = targets.EvaluatedRows(validation, k);
            var labels = validation.Labels[model.Tasks[k].Label];
            var z = new List<float>();
            var y = new List<float>();
            for (int i = 0; i < validation.Count; i++)
            {
                if (!keep[i]) continue;
                z.Add(logits[k][i]);
                y.Add(labels[i]);
            }
            if (!y.Any(v => v > 0.5f) || !y.Any(v => v < 0.5f))
            {
                result.Add(new TaskCalibration(model.Tasks[k].Name, 1, y.Count, null, null, null, null));
                continue;
            }
            var zs = z.ToArray();
            var ys = y.ToArray();
            var t = TemperatureScaling.Fit(zs, ys);
            var before = zs.Select(v => TemperatureScaling.Apply(v, 1)).ToArray();
            var after = zs.Select(v => TemperatureScaling.Apply(v, t)).ToArray();
            result.Add(new TaskCalibration(model.Tasks[k].Name, t, ys.Length,
                BinaryMetrics.Ece(before, ys), BinaryMetrics.Ece(after, ys),
                BinaryMetrics.LogLoss(before, ys), BinaryMetrics.LogLoss(after, ys)));
        }
        return result;
    }
}
