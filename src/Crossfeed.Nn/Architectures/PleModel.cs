using Crossfeed.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>Progressive layered extraction: stacked extraction levels, then one tower per task.</summary>
public sealed class PleModel : MultiTaskNetwork
{
    private readonly ModuleList<ExtractionLevel> _levels;
    private readonly ModuleList<Tower> _towers;

    public PleModel(string name, long inputDim, PleSpec spec, IReadOnlyList<TaskSpec> tasks, double dropout)
        : base(name)
    {
        int levels = spec.Levels;
        var built = new ExtractionLevel[levels];
        long dim = inputDim;
        for (int l = 0; l < levels; l++)
        {
            built[l] = new ExtractionLevel($"level{l}", dim, spec, tasks.Count, isFinal: l == levels - 1, dropout);
            dim = built[l].OutputDim;
        }
        _levels = nn.ModuleList(built);
        _towers = nn.ModuleList(tasks.Select((t, i) => new Tower($"tower{i}", dim, t.Tower)).ToArray());
        RegisterComponents();
    }

    public override IReadOnlyList<Tower> Heads => [.. _towers];

    /// <summary>The task's tower, then its gate and experts in every extraction level.</summary>
    public override IReadOnlyList<nn.Module> TaskModules(int task) =>
        [_towers[task], .. _levels.SelectMany(level => level.TaskModules(task))];

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(Forward(_levels[0].call(Enumerable.Repeat(input, _towers.Count + 1).ToArray())));
    }

    /// <summary>The first level reads the encoder output, so its experts and gates read the factorised input; later levels read per-candidate rows.</summary>
    protected override Tensor ForwardFactorised(FactorisedInput input)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(Forward(_levels[0].ForwardFactorised(input)));
    }

    /// <summary>The levels after the first, then the towers.</summary>
    private Tensor Forward(Tensor[] x)
    {
        for (int l = 1; l < _levels.Count; l++) x = _levels[l].call(x);
        return torch.cat(_towers.Select((t, i) => t.call(x[i])).ToArray(), 1);
    }
}
