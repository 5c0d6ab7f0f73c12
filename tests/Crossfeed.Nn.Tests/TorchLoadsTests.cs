using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Tests;

/// <summary>Proves the native LibTorch loads on this machine (the build's ELF fix, docs/development.md).</summary>
public class TorchLoadsTests
{
    [Fact]
    public void Torch_loads_runs_backward_and_an_optimiser_step()
    {
        torch.manual_seed(1);
        using var scope = torch.NewDisposeScope();
        var w = new TorchSharp.Modules.Parameter(torch.zeros(3));
        var x = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        var y = torch.tensor(new float[] { 1, 0 });
        using var opt = torch.optim.Adam(new[] { w }, lr: 0.1);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            opt.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(x.matmul(w), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first, $"loss did not fall: {first} -> {last}");
    }
}
