using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>Shared-bottom: one MLP (batch norm after its first layer) feeding one tower per task.</summary>
public sealed class SharedBottomModel : MultiTaskNetwork
{
    private readonly Mlp _bottom;
    private readonly ModuleList<Tower> _towers;

    public SharedBottomModel(string name, long inputDim, IReadOnlyList<int> hidden, double dropout, IReadOnlyList<IReadOnlyList<int>> towers)
        : base(name)
    {
        _bottom = new Mlp("bottom", inputDim, hidden, dropout, batchNormFirst: true);
        _towers = nn.ModuleList(towers.Select((t, i) => new Tower($"tower{i}", _bottom.OutputDim, t)).ToArray());
        RegisterComponents();
    }

    public override IReadOnlyList<Tower> Heads => [.. _towers];

    public override IReadOnlyList<nn.Module> TaskModules(int task) => [_towers[task]];

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(Towers(_bottom.call(input)));
    }

    protected override Tensor ForwardFactorised(FactorisedInput input)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(Towers(_bottom.ForwardFactorised(input)));
    }

    private Tensor Towers(Tensor shared) => torch.cat(_towers.Select(t => t.call(shared)).ToArray(), 1);
}
