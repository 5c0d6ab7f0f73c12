using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>A softmax gate: maps the gate input [B, D] to expert weights [B, E] that sum to 1 per row.</summary>
public sealed class Gate : nn.Module<Tensor, Tensor>, IFactorisedModule
{
    private readonly Linear _scores;

    public Gate(string name, long inputDim, int experts) : base(name)
    {
        Experts = experts;
        _scores = nn.Linear(inputDim, experts);
        RegisterComponents();
    }

    public int Experts { get; }

    public override Tensor forward(Tensor input)
    {
        using var scores = _scores.call(input);
        return torch.softmax(scores, 1);
    }

    public Tensor ForwardFactorised(FactorisedInput input)
    {
        using var scores = input.Linear(_scores);
        return torch.softmax(scores, 1);
    }

    /// <summary>The gate-weighted sum of expert outputs: weights [B, E] and stacked outputs [B, E, D] give [B, D].</summary>
    public static Tensor Mix(Tensor weights, Tensor stacked)
    {
        using var w = weights.unsqueeze(1);
        using var mixed = w.matmul(stacked);
        return mixed.squeeze(1);
    }
}
