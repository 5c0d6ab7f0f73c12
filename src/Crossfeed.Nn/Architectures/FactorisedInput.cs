using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// The encoder's output for one user against N candidates, kept in two parts: the columns shared by every
/// candidate (user and context: one row) and the columns that differ per candidate (content and creative:
/// N rows). <see cref="SharedColumns"/> and <see cref="CandidateColumns"/> say where each part's columns sit
/// in the full row, so a layer reading the full row x = [s; c] computes W x + b = (W_s s + b) + W_c c with
/// the shared product once per request instead of once per candidate.
/// </summary>
/// <remarks>Tensors are borrowed: the caller owns and disposes them.</remarks>
public sealed class FactorisedInput
{
    public FactorisedInput(Tensor shared, Tensor perCandidate, Tensor sharedColumns, Tensor candidateColumns)
    {
        if (shared.dim() != 2 || shared.shape[0] != 1 || shared.shape[1] != sharedColumns.shape[0])
            throw new ArgumentException($"shared must be [1, {sharedColumns.shape[0]}], got [{string.Join(", ", shared.shape)}]", nameof(shared));
        if (perCandidate.dim() != 2 || perCandidate.shape[1] != candidateColumns.shape[0])
            throw new ArgumentException($"perCandidate must be [N, {candidateColumns.shape[0]}], got [{string.Join(", ", perCandidate.shape)}]", nameof(perCandidate));
        Shared = shared;
        PerCandidate = perCandidate;
        SharedColumns = sharedColumns;
        CandidateColumns = candidateColumns;
    }

    /// <summary>[1, Ds]: the user and context columns.</summary>
    public Tensor Shared { get; }

    /// <summary>[N, Dc]: the candidate columns, one row per candidate.</summary>
    public Tensor PerCandidate { get; }

    /// <summary>Int64 [Ds]: the position of each shared column in the full row.</summary>
    public Tensor SharedColumns { get; }

    /// <summary>Int64 [Dc]: the position of each candidate column in the full row.</summary>
    public Tensor CandidateColumns { get; }

    /// <summary>Candidates (N).</summary>
    public long Count => PerCandidate.shape[0];

    /// <summary>Width of the full row (Ds + Dc).</summary>
    public long Width => Shared.shape[1] + PerCandidate.shape[1];

    /// <summary>
    /// layer(x) [N, out] for the full rows x: the shared columns' product and the bias once ([1, out]),
    /// broadcast onto the candidate columns' product.
    /// </summary>
    public Tensor Linear(Linear layer)
    {
        var weight = layer.weight ?? throw new ArgumentException("the layer has no weight", nameof(layer));
        using var sharedWeight = weight.index_select(1, SharedColumns);
        using var candidateWeight = weight.index_select(1, CandidateColumns);
        using var once = nn.functional.linear(Shared, sharedWeight, layer.bias);
        using var each = nn.functional.linear(PerCandidate, candidateWeight);
        return each.add(once, Scalars.One);
    }

    /// <summary>The full rows [N, D] in the encoder's column order, for layers that need x itself (a cross layer's x0 * (W x0 + b)).</summary>
    public Tensor Full()
    {
        var x = torch.empty(Count, Width, device: Shared.device);
        using var repeated = Shared.expand(Count, -1);
        x.index_copy_(1, SharedColumns, repeated);
        x.index_copy_(1, CandidateColumns, PerCandidate);
        return x;
    }
}
