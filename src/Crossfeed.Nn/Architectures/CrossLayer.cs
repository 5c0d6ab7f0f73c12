using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// A DCN-v2 cross layer: x_{l+1} = x0 * (W x_l + b) + x_l. W is a full d x d matrix, or, when
/// <c>rank</c> &gt; 0, the low-rank product U V^T (2 d r weights instead of d^2).
/// </summary>
public sealed class CrossLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Sequential _project;

    public CrossLayer(string name, long dim, int rank = 0) : base(name)
    {
        Rank = rank;
        Linear last;
        if (rank > 0)
        {
            last = nn.Linear(rank, dim);
            _project = nn.Sequential(("v", nn.Linear(dim, rank, hasBias: false)), ("u", last));
        }
        else
        {
            last = nn.Linear(dim, dim);
            _project = nn.Sequential(("w", last));
        }
        // DCN-v2 starts the bias at zero: the layer begins as x0 * (W x) + x.
        using (torch.no_grad()) last.bias!.zero_();
        RegisterComponents();
    }

    public int Rank { get; }

    /// <summary>x0: the expert's input [B, d]; x: the previous layer's output [B, d].</summary>
    public override Tensor forward(Tensor x0, Tensor x)
    {
        using var projected = _project.call(x);
        return Cross(x0, projected, x);
    }

    /// <summary>
    /// The first cross layer (x = x0) with the matrix product W x0 (or V^T x0 when low-rank) computed from
    /// the factorised input; <paramref name="x0"/> is that input's full rows.
    /// </summary>
    public Tensor ForwardFactorised(FactorisedInput input, Tensor x0)
    {
        using var scope = torch.NewDisposeScope();
        var projected = input.Linear((Linear)_project[0]);
        for (int i = 1; i < _project.Count; i++) projected = _project[i].call(projected);
        return scope.MoveToOuter(Cross(x0, projected, x0));
    }

    private static Tensor Cross(Tensor x0, Tensor projected, Tensor x)
    {
        using var crossed = x0.mul(projected);
        return crossed.add(x, Scalars.One);
    }
}
