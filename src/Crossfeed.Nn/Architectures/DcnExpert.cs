using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>A DCN-v2 block in stacked form: cross layers over the input, then an MLP.</summary>
public sealed class DcnExpert : nn.Module<Tensor, Tensor>
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
}
