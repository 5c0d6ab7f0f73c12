namespace Crossfeed.Core;

/// <summary>
/// One binary outcome: a dataset label, the sources the task is about and optionally a narrower scope
/// (modalities, slots, content types): where it is evaluated and, unless a mask says otherwise, not the only
/// place it learns from (with adaptive masking on, rows outside the scope carry no loss for it). Then tower
/// sizes, loss weight and an optional task group: tasks of one group share a gate (CAMoE).
/// </summary>
public sealed record TaskSpec(
    string Name, string Label, IReadOnlyList<string> Sources, TaskScope Scope,
    IReadOnlyList<int> Tower, float Weight, string? Group);
