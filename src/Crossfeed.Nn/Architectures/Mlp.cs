using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// Linear layers, each followed by ReLU and (when <c>dropout</c> &gt; 0) dropout; optionally batch norm
/// between the first linear layer and its ReLU. With no hidden widths it is the identity.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, IFactorisedModule
{
    private readonly Sequential _layers;

    public Mlp(string name, long inputDim, IReadOnlyList<int> hidden, double dropout = 0, bool batchNormFirst = false)
        : base(name)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long dim = inputDim;
        for (int i = 0; i < hidden.Count; i++)
        {
            layers.Add(nn.Linear(dim, hidden[i]));
            if (i == 0 && batchNormFirst) layers.Add(nn.BatchNorm1d(hidden[i]));
            layers.Add(nn.ReLU());
            if (dropout > 0) layers.Add(nn.Dropout(dropout));
            dim = hidden[i];
        }
        OutputDim = dim;
        _layers = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>Width of the output (the last hidden width, or the input width when there are no layers).</summary>
    public long OutputDim { get; }

    public override Tensor forward(Tensor input) => _layers.call(input);

    /// <summary>The first linear layer from the factorised input, then the remaining layers as usual.</summary>
    public Tensor ForwardFactorised(FactorisedInput input)
    {
        if (_layers.Count == 0) return input.Full();
        using var scope = torch.NewDisposeScope();
        var x = input.Linear((Linear)_layers[0]);
        for (int i = 1; i < _layers.Count; i++) x = _layers[i].call(x);
        return scope.MoveToOuter(x);
    }
}
