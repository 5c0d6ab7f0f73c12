using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// The dense multi-task part of a model: the encoder's output [B, D] to logits [B, T], one per task in
/// task order. Every architecture says which of its modules serve one task only, so transfer copies
/// and trains heads by module and never depends on how the architecture names its fields.
/// </summary>
public abstract class MultiTaskNetwork : nn.Module<Tensor, Tensor>
{
    protected MultiTaskNetwork(string name) : base(name)
    {
    }

    /// <summary>Per task index, its head: the tower that ends in the task's logit.</summary>
    public abstract IReadOnlyList<Tower> Heads { get; }

    /// <summary>
    /// The modules only task <paramref name="task"/> uses: its head, then its own gates and experts where
    /// the architecture has them. A gate that a task group shares belongs to no single task.
    /// </summary>
    public abstract IReadOnlyList<nn.Module> TaskModules(int task);
}
