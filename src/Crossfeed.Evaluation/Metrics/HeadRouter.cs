using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// Scores a label with several scoped heads (tasks grouped by slot or content type): each row goes to the
/// first head whose scope admits it. Rows no head admits (a slot that only appears after the training
/// days, say) are reported with one message: `evaluate` leaves them out and warns with it, an experiment
/// variant fails with it.
/// </summary>
public static class HeadRouter
{
    public static HeadRouting Route(ModelConfig model, IReadOnlyList<int> heads, EncodedSplit split, IReadOnlyList<int> rows)
    {
        foreach (var k in heads)
            if (k < 0 || k >= model.Tasks.Count) throw new ArgumentOutOfRangeException(nameof(heads), $"{model.Name} has no task {k}");
        var task = new int[rows.Count];
        int unrouted = 0, example = -1;
        for (int i = 0; i < rows.Count; i++)
        {
            task[i] = -1;
            foreach (var k in heads)
            {
                if (!model.Tasks[k].Scope.Admits(split.AnalysisText, rows[i])) continue;
                task[i] = k;
                break;
            }
            if (task[i] >= 0) continue;
            if (unrouted++ == 0) example = rows[i];
        }
        string? problem = unrouted == 0 ? null :
            $"{model.Name}: {unrouted:N0} of {rows.Count:N0} rows of the {split.Name.ToString().ToLowerInvariant()} split are outside the scope of every head " +
            $"({string.Join(", ", heads.Select(k => model.Tasks[k].Name))}), e.g. row {example}; add a task for those rows";
        return new HeadRouting(task, unrouted, problem);
    }
}
