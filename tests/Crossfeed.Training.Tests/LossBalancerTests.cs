using Crossfeed.Core;
using TorchSharp;

namespace Crossfeed.Training.Tests;

public class LossBalancerTests
{
    [Theory]
    [InlineData("fixed")]
    [InlineData("uncertainty")]
    [InlineData("grad_norm")]
    [InlineData("pc_grad")]
    public void Every_balancing_option_trains_to_a_finite_model_that_beats_the_base_rate(string option)
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml.Edit("seed: 3 }", $"seed: 3, loss_balancing: {option} }}").Edit(
            "epochs: 2", "epochs: 4"));
        Assert.Equal(option.Replace("_", "", StringComparison.Ordinal), model.Training.Balancing.ToString(), ignoreCase: true);
        using var result = Trainer.Fit(model, dataset, TinyData.Split(6400, seed: 1), TinyData.Split(800, seed: 2, name: SplitName.Val),
            TinyData.Preprocessor(dataset), new TrainOptions());
        Assert.All(result.History.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss!.Value)));
        var ap = result.History.Epochs.Max(e => e.ValAp["promo_stream"]!.Value);
        Assert.True(ap > 0.45, $"{option}: promo_stream AP {ap:F3}; the base rate is about 0.27 and fixed weights reach about 0.55");
    }

    [Fact]
    public void Grad_norm_keeps_task_weights_positive_and_summing_to_the_task_count()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml.Edit("seed: 3 }", "seed: 3, loss_balancing: grad_norm }"));
        using var balancer = new LossBalancer(model);
        using var shared = torch.randn(8, 4, requires_grad: true);
        using var head = torch.randn(4, 3);
        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            // Three task losses with very different gradient scales.
            var logits = shared.matmul(head) * torch.tensor(new float[] { 1, 5, 0.2f });
            var perTask = (logits * logits).mean([0L]);
            balancer.Backward(perTask, shared, [shared]);
        }
        var w = balancer.State().First(s => s.Name == "balance.gradnorm_weights").Tensor.data<float>().ToArray();
        Assert.All(w, v => Assert.True(v > 0));
        Assert.Equal(3.0, w.Sum(), 3);
        Assert.True(w[1] < w[2], $"the task with the largest gradients should get the smallest weight: {string.Join(", ", w)}");
    }

    [Fact]
    public void Pc_grad_removes_the_conflicting_component_between_two_tasks()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml.Edit("seed: 3 }", "seed: 3, loss_balancing: pc_grad }").Edit(
            "  - { name: click, label: click, tower: [8] }\n", ""));
        using var balancer = new LossBalancer(model);
        using var x = new TorchSharp.Modules.Parameter(torch.zeros(2));
        using var scope = torch.NewDisposeScope();
        // L1 = g1 . x with g1 = (1, 0); L2 = g2 . x with g2 = (-1, 1): they conflict (g1 . g2 = -1).
        var perTask = torch.stack([x.dot(torch.tensor(new float[] { 1, 0 })), x.dot(torch.tensor(new float[] { -1, 1 }))]);
        balancer.Backward(perTask + 1, x, [x]);
        // g1' = g1 - (g1.g2/|g2|^2) g2 = (0.5, 0.5); g2' = g2 - (g2.g1/|g1|^2) g1 = (0, 1); sum (0.5, 1.5)
        var g = x.grad!.data<float>().ToArray();
        Assert.Equal(0.5f, g[0], 5);
        Assert.Equal(1.5f, g[1], 5);
    }
}
