using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>A DCN-v2 block in stacked form: cross layers over the input, then an MLP.</summary>
public sealed class DcnExpert : nn.Module<Tensor, Tensor>, IFactorisedModule
{
    private readonly ModuleList<CrossLayer> _cross;
    private readonly Mlp _mlp;

    public DcnExpert(string name, long inputDim, int crossLayers, int rank, IReadOnlyList<int> hidden, double dropout)
        : base(name)
    {
        _cross = nn.ModuleList(Enumerable.Range(0, crossLayers).Select(i => new CrossLayer($"cross{i}", inputDim, rank)).ToArray());
        _mlp = new Mlp("mlp", inputDim, hidden, dropout);
        OutputDim = _mlp.OutputDim;
        RegisterComponents();
    }

    public long OutputDim { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input;
        foreach (var layer in _cross) x = layer.call(input, x);
        return scope.MoveToOuter(_mlp.call(x));
    }

    /// <summary>The first cross layer's product from the factorised input; later layers read per-candidate rows and run as usual.</summary>
    public Tensor ForwardFactorised(FactorisedInput input)
    {
        if (_cross.Count == 0) return _mlp.ForwardFactorised(input);
        using var scope = torch.NewDisposeScope();
        var x0 = input.Full();
        var x = _cross[0].ForwardFactorised(input, x0);
        for (int i = 1; i < _cross.Count; i++) x = _cross[i].call(x0, x);
        return scope.MoveToOuter(_mlp.call(x));
    }
}
