namespace Crossfeed.Evaluation.Metrics;

/// <summary>
/// Where <see cref="HeadRouter"/> sent each row: <see cref="Task"/> holds the model's task index per row,
/// -1 for a row no head admits. <see cref="Problem"/> reports those rows (how many, one example), or is null.
/// </summary>
public sealed record HeadRouting(IReadOnlyList<int> Task, int Unrouted, string? Problem)
{
    /// <summary>Positions (in the routed row list) of the rows some head admits.</summary>
    public int[] Routed() => Enumerable.Range(0, Task.Count).Where(i => Task[i] >= 0).ToArray();
}
