namespace Crossfeed.Core;

/// <summary>
/// One binary outcome: a dataset label, the sources the task is about and optionally a narrower scope
/// (modalities, slots, content types): where it is evaluated and, unless a mask says otherwise, not the only
/// place it learns from (with adaptive masking on, rows outside the scope carry no loss for it). Then tower
/// sizes, loss weight and an optional task group: tasks of one group share a gate (CAMoE). KeepNegatives
/// below 1 is negative downsampling: each of the task's negative training rows counts in its loss with
/// that probability (drawn once per run), and predictions are corrected back to the natural rate exactly.
/// </summary>
public sealed record TaskSpec(
    string Name, string Label, IReadOnlyList<string> Sources, TaskScope Scope,
    IReadOnlyList<int> Tower, float Weight, string? Group, double KeepNegatives = 1)
{
    /// <summary>
    /// What negative downsampling adds to the logit, undone by adding ln(r): a model trained with negatives
    /// kept at rate r predicts q with odds(q) = odds(p) / r, so p = q / (q + (1 - q) / r) and logit(p) = logit(q) + ln r.
    /// </summary>
    public float LogitOffset => (float)Math.Log(KeepNegatives);
}
