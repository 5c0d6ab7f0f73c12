using Crossfeed.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>
/// MMoE (and CAMoE, whose experts are DCN-v2 blocks): shared experts, one softmax gate per task or per
/// task group, each task's tower reading its gate's weighted sum of the expert outputs.
/// </summary>
public sealed class MixtureOfExpertsModel : MultiTaskNetwork
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _experts;
    private readonly ModuleList<Gate> _gates;
    private readonly ModuleList<Tower> _towers;
    private readonly int[] _gateOfTask;

    public MixtureOfExpertsModel(string name, long inputDim, MoeSpec spec, IReadOnlyList<TaskSpec> tasks, double dropout)
        : base(name)
    {
        _experts = nn.ModuleList(Enumerable.Range(0, spec.Count).Select(i => Experts.Create($"expert{i}", spec.Expert, inputDim, dropout)).ToArray());
        _gateOfTask = GateAssignment(tasks, spec.GatePerGroup, out int gateCount);
        _gates = nn.ModuleList(Enumerable.Range(0, gateCount).Select(g => new Gate($"gate{g}", inputDim, spec.Count)).ToArray());
        long expertDim = Experts.OutputDim(spec.Expert, inputDim);
        _towers = nn.ModuleList(tasks.Select((t, i) => new Tower($"tower{i}", expertDim, t.Tower)).ToArray());
        RegisterComponents();
    }

    /// <summary>Number of gates: tasks, or task groups when gates are shared per group.</summary>
    public int GateCount => _gates.Count;

    /// <summary>Index of the gate task <paramref name="task"/> reads.</summary>
    public int GateOfTask(int task) => _gateOfTask[task];

    public override IReadOnlyList<Tower> Heads => [.. _towers];

    /// <summary>The task's tower, and its gate unless other tasks of its group read that gate too.</summary>
    public override IReadOnlyList<nn.Module> TaskModules(int task)
    {
        var gate = _gateOfTask[task];
        return _gateOfTask.Count(g => g == gate) == 1 ? [_towers[task], _gates[gate]] : [_towers[task]];
    }

    /// <summary>
    /// Gate index per task. Per group: tasks with the same non-null group share a gate, a task with no
    /// group has its own. Otherwise one gate per task.
    /// </summary>
    public static int[] GateAssignment(IReadOnlyList<TaskSpec> tasks, bool perGroup, out int gateCount)
    {
        var assignment = new int[tasks.Count];
        var byGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        gateCount = 0;
        for (int t = 0; t < tasks.Count; t++)
        {
            var group = tasks[t].Group;
            if (perGroup && group is not null)
            {
                if (!byGroup.TryGetValue(group, out int g)) byGroup[group] = g = gateCount++;
                assignment[t] = g;
            }
            else
            {
                assignment[t] = gateCount++;
            }
        }
        return assignment;
    }

    public override Tensor forward(Tensor input) => Forward(e => e.call(input), g => g.call(input));

    /// <summary>Experts' first layers and the gates read the factorised input.</summary>
    protected override Tensor ForwardFactorised(FactorisedInput input) =>
        Forward(e => ((IFactorisedModule)e).ForwardFactorised(input), g => g.ForwardFactorised(input));

    private Tensor Forward(Func<nn.Module<Tensor, Tensor>, Tensor> expert, Func<Gate, Tensor> gate)
    {
        using var scope = torch.NewDisposeScope();
        var stacked = torch.stack(_experts.Select(expert).ToArray(), 1);
        var mixed = _gates.Select(g => Gate.Mix(gate(g), stacked)).ToArray();
        var logits = _towers.Select((t, i) => t.call(mixed[_gateOfTask[i]])).ToArray();
        return scope.MoveToOuter(torch.cat(logits, 1));
    }
}
