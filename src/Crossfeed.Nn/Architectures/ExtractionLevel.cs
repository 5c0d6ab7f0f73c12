using Crossfeed.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// One PLE extraction level. Input and output: one tensor per task, then the shared tensor (the final
/// level returns only the task tensors). Each task's gate mixes its own experts and the shared ones;
/// a non-final level's shared gate mixes all experts for the next level's shared input.
/// </summary>
public sealed class ExtractionLevel : nn.Module<Tensor[], Tensor[]>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _shared;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _taskExperts;
    private readonly ModuleList<Gate> _taskGates;
    private readonly ModuleList<Gate> _sharedGate;
    private readonly int _tasks;
    private readonly int _perTask;

    public ExtractionLevel(string name, long inputDim, PleSpec spec, int tasks, bool isFinal, double dropout)
        : base(name)
    {
        _tasks = tasks;
        _perTask = spec.TaskExperts;
        _shared = nn.ModuleList(Enumerable.Range(0, spec.SharedExperts).Select(i => Experts.Create($"shared{i}", spec.Expert, inputDim, dropout)).ToArray());
        _taskExperts = nn.ModuleList(Enumerable.Range(0, tasks * _perTask)
            .Select(i => Experts.Create($"task{i / _perTask}_expert{i % _perTask}", spec.Expert, inputDim, dropout)).ToArray());
        _taskGates = nn.ModuleList(Enumerable.Range(0, tasks).Select(t => new Gate($"task{t}_gate", inputDim, _perTask + spec.SharedExperts)).ToArray());
        _sharedGate = isFinal
            ? nn.ModuleList<Gate>()
            : nn.ModuleList(new Gate("shared_gate", inputDim, tasks * _perTask + spec.SharedExperts));
        IsFinal = isFinal;
        OutputDim = Experts.OutputDim(spec.Expert, inputDim);
        RegisterComponents();
    }

    public bool IsFinal { get; }

    public long OutputDim { get; }

    /// <summary>The gate and the experts of task <paramref name="task"/> in this level.</summary>
    public IReadOnlyList<nn.Module> TaskModules(int task) =>
        [_taskGates[task], .. Enumerable.Range(0, _perTask).Select(j => _taskExperts[task * _perTask + j])];

    public override Tensor[] forward(Tensor[] inputs) =>
        Forward((e, i) => e.call(inputs[i]), (g, i) => g.call(inputs[i]));

    /// <summary>The first level, whose inputs are all the encoder output: experts' first layers and gates read it factorised.</summary>
    public Tensor[] ForwardFactorised(FactorisedInput input) =>
        Forward((e, _) => ((IFactorisedModule)e).ForwardFactorised(input), (g, _) => g.ForwardFactorised(input));

    /// <summary>The level with how an expert or a gate reads input i (task i, or the shared input at index tasks).</summary>
    private Tensor[] Forward(Func<nn.Module<Tensor, Tensor>, int, Tensor> expert, Func<Gate, int, Tensor> gate)
    {
        using var scope = torch.NewDisposeScope();
        var shared = _shared.Select(e => expert(e, _tasks)).ToArray();
        var own = new Tensor[_tasks][];
        var outputs = new Tensor[IsFinal ? _tasks : _tasks + 1];
        for (int t = 0; t < _tasks; t++)
        {
            own[t] = Enumerable.Range(0, _perTask).Select(j => expert(_taskExperts[t * _perTask + j], t)).ToArray();
            var stacked = torch.stack(own[t].Concat(shared).ToArray(), 1);
            outputs[t] = Gate.Mix(gate(_taskGates[t], t), stacked);
        }
        if (!IsFinal)
        {
            var all = torch.stack(own.SelectMany(o => o).Concat(shared).ToArray(), 1);
            outputs[_tasks] = Gate.Mix(gate(_sharedGate[0], _tasks), all);
        }
        foreach (var o in outputs) o.MoveToOuterDisposeScope();
        return outputs;
    }
}
