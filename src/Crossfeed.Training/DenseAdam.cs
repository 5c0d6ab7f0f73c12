using TorchSharp;
using TorchSharp.Modules;

namespace Crossfeed.Training;

/// <summary>Adam over dense parameters, written out so its state is plain named tensors that checkpoints restore exactly.</summary>
public sealed class DenseAdam(IEnumerable<(string Name, Parameter P)> parameters, AdamSettings settings)
    : AdamBase("adam", parameters, settings)
{
    /// <summary>One update with step number t (1-based, shared with the row-wise optimiser).</summary>
    public void Step(double lr, long t)
    {
        using var _ = torch.no_grad();
        foreach (var (_, p, m, v) in Slots)
            if (p.grad is { } g) Settings.Update(p, g, m, v, lr, t);
    }
}
