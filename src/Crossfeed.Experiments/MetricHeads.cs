using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>Which of a model's heads score an experiment metric (rows are then routed among several by <see cref="Evaluation.Metrics.HeadRouter"/>).</summary>
public static class MetricHeads
{
    /// <summary>
    /// Which heads score each metric: a task with the metric's label whose source and scope cover the
    /// metric's rows (the one with exactly the metric's scope first); otherwise, when tasks with that label
    /// and source have narrower scopes (grouped by slot or content type), all of them, each row scored by
    /// the first that admits it; otherwise the first task with the same label (a borrowed head, e.g. the
    /// promotions-only baseline's promo_stream head on ads); otherwise the metric is not reported.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> For(ModelConfig model, IEnumerable<ExperimentMetric> metrics)
    {
        var heads = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var m in metrics)
        {
            var covering = model.Tasks.Where(t => Covers(t, m)).ToList();
            var narrower = model.Tasks.Where(t => t.Label == m.Label && t.Sources.Contains(m.Source) && !t.Scope.IsAll).ToList();
            var own = covering.FirstOrDefault(t => t.Scope.Equals(m.Where)) ?? covering.FirstOrDefault();
            if (own is not null) heads[m.Name] = [own.Name];
            else if (narrower.Count > 0) heads[m.Name] = narrower.Select(t => t.Name).ToList();
            else if (model.Tasks.FirstOrDefault(t => t.Label == m.Label) is { } borrowed) heads[m.Name] = [borrowed.Name];
        }
        return heads;
    }

    /// <summary>True when the task is about all of the metric's rows (label, source and scope); false means the head is borrowed (or one of several routed heads).</summary>
    public static bool Covers(TaskSpec task, ExperimentMetric metric) =>
        task.Label == metric.Label && task.Sources.Contains(metric.Source) && task.Scope.Covers(metric.Where);
}
