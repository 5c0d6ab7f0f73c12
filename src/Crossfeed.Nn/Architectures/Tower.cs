using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>A task head: an MLP over the task's tower widths ending in one logit ([B, 1]).</summary>
public sealed class Tower : nn.Module<Tensor, Tensor>
{
    private readonly Mlp _hidden;
    private readonly Linear _logit;

    public Tower(string name, long inputDim, IReadOnlyList<int> widths) : base(name)
    {
        _hidden = new Mlp("hidden", inputDim, widths);
        _logit = nn.Linear(_hidden.OutputDim, 1);
        // Start every task at logit 0 (p = 0.5) so no task dominates the first steps.
        using (torch.no_grad()) _logit.bias!.zero_();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _logit.call(_hidden.call(input));
}
