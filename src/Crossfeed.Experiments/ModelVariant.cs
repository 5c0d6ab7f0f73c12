using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Evaluation.Metrics;
using Crossfeed.Training;

namespace Crossfeed.Experiments;

/// <summary>
/// A multi-task model trained with <see cref="Trainer"/>. <paramref name="Heads"/> maps a metric
/// name to the tasks (heads) that score it: one head, or several narrower heads (tasks grouped by slot
/// or content type) among which each row goes to the first whose scope admits it (<see cref="HeadRouter"/>).
/// A metric missing from the map is not reported for this variant ("n/a"). A single head may score rows it
/// was not built for (the promotions-only baseline's promo_stream head scoring ads): that is a borrowed
/// head, flagged in the reports.
/// </summary>
public sealed record ModelVariant(string Name, string Description, ModelConfig Model, IReadOnlyDictionary<string, IReadOnlyList<string>> Heads)
    : ExperimentVariant(Name, Description)
{
    public override string Kind => "model";

    public override VariantScores Run(VariantRun run)
    {
        var (data, options, report) = (run.Data, run.Options, run.Report);
        var model = options.Quick ? Derive.Quick(Model, options.QuickSteps) : Model;
        model = Derive.Seed(model, model.Training.Seed + run.SeedOffset);
        var progress = new SyncProgress<TrainProgress>(tp =>
        {
            if (tp.Message is not null) report(tp.TotalSteps > 0 ? 0.95 * tp.Step / tp.TotalSteps : 0, tp.Message, true);
            else report(tp.TotalSteps > 0 ? 0.95 * tp.Step / tp.TotalSteps : 0,
                $"epoch {tp.Epoch}/{tp.Epochs} step {tp.Step}/{tp.TotalSteps} {tp.ExamplesPerSecond:N0} ex/s", false);
        });
        var clock = Stopwatch.StartNew();
        using var trained = Trainer.Fit(model, data.Dataset, data.Train, data.Val, data.Preprocessor,
            new TrainOptions(Progress: progress, Cancellation: options.Cancellation));
        var seconds = clock.Elapsed.TotalSeconds;
        options.Cancellation.ThrowIfCancellationRequested();
        report(0.95, "scoring the test split", false);
        var probs = trained.Predict(data.Test);
        var scores = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var m in run.Metrics)
        {
            if (!Heads.TryGetValue(m.Metric.Name, out var heads)) continue;
            scores[m.Metric.Name] = Score(model, m, heads, probs, data.Test);
        }
        return new VariantScores(scores, seconds);
    }

    public override string? Head(MetricRows metric, EncodedSplit test, bool scored)
    {
        if (Heads.GetValueOrDefault(metric.Metric.Name) is not { } heads) return null;
        if (heads.Count > 1 && scored)
        {
            // name only the routed heads that scored some of the metric's rows
            var used = HeadRouter.Route(Model, heads.Select(Model.TaskIndex).ToList(), test, metric.Rows).Task.ToHashSet();
            heads = heads.Where(h => used.Contains(Model.TaskIndex(h))).ToList();
        }
        return string.Join(" + ", heads);
    }

    public override bool Borrows(ExperimentMetric metric) =>
        Heads.GetValueOrDefault(metric.Name) is [var single] && Model.TaskIndex(single) is var task && task >= 0 && !MetricHeads.Covers(Model.Tasks[task], metric);

    /// <summary>A metric's scores from its heads: each row from the first head whose scope admits it (one head: every row).</summary>
    private float[] Score(ModelConfig model, MetricRows m, IReadOnlyList<string> heads, float[][] probs, EncodedSplit test)
    {
        if (heads.Any(h => model.TaskIndex(h) < 0))
            throw new ArgumentException($"variant {Name}: a head for metric {m.Metric.Name} ({string.Join(", ", heads)}) is not a task of the model");
        var scores = new float[m.Rows.Length];
        if (heads.Count == 1)
        {
            var p = probs[model.TaskIndex(heads[0])];
            for (int i = 0; i < scores.Length; i++) scores[i] = p[m.Rows[i]];
            return scores;
        }
        var routing = HeadRouter.Route(model, heads.Select(model.TaskIndex).ToList(), test, m.Rows);
        if (routing.Problem is not null) throw new InvalidOperationException(routing.Problem);
        for (int i = 0; i < scores.Length; i++) scores[i] = probs[routing.Task[i]][m.Rows[i]];
        return scores;
    }

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
