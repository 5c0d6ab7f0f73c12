using TorchSharp;
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

    /// <summary>
    /// Logits [N, T] for one shared row against N candidate rows, equal to the forward over the full rows
    /// (the shared row repeated per candidate, columns put in place), but every layer that reads the encoder
    /// output directly computes the shared row's part once. <paramref name="sharedColumns"/> and
    /// <paramref name="candidateColumns"/> give each part's column positions in the full row; together they
    /// must be a partition of 0..D-1. Meant for inference (eval mode, no gradients): batch norm in eval mode
    /// is affine per column and comes after the first layer's sum, so the split does not change it.
    /// </summary>
    /// <param name="shared">[1, Ds]: the user and context columns.</param>
    /// <param name="perCandidate">[N, Dc]: the content and creative columns of every candidate.</param>
    public Tensor ForwardFactorised(Tensor shared, Tensor perCandidate, long[] sharedColumns, long[] candidateColumns)
    {
        long width = sharedColumns.Length + candidateColumns.Length;
        var seen = new bool[width];
        foreach (var c in sharedColumns.Concat(candidateColumns))
        {
            if (c < 0 || c >= width || seen[c])
                throw new ArgumentException($"shared and candidate columns must be a partition of 0..{width - 1}; column {c} is out of range or listed twice", nameof(sharedColumns));
            seen[c] = true;
        }
        using var scope = torch.NewDisposeScope();
        var input = new FactorisedInput(shared, perCandidate, torch.tensor(sharedColumns, device: shared.device), torch.tensor(candidateColumns, device: shared.device));
        return scope.MoveToOuter(ForwardFactorised(input));
    }

    /// <summary>The architecture's forward with its first layers reading the factorised input.</summary>
    protected abstract Tensor ForwardFactorised(FactorisedInput input);
}
