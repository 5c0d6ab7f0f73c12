using TorchSharp;
using TorchSharp.Modules;

namespace Crossfeed.Training.Tests;

public class LazyAdamTests
{
    /// <summary>
    /// The reference is TorchSharp's own AdamW (not our update function): AdamSettings.Update applies decoupled
    /// weight decay p *= 1 - lr * wd, then Adam with bias correction 1 - beta^t and eps added to sqrt(v_hat),
    /// which is torch's AdamW (torch's Adam adds wd * p to the gradient instead, so it is not the reference).
    /// </summary>
    [Fact]
    public void Lazy_adam_matches_torch_adamw_on_rows_touched_at_every_step_and_leaves_other_rows_alone_between_touches()
    {
        const double lr = 0.05, beta1 = 0.8, beta2 = 0.95, eps = 1e-8, wd = 0.1;
        long[] always = [0, 3];
        // Each step also touches a different set of other rows, in a shuffled order, so ids and gradient rows must stay aligned.
        long[][] others = [[5], [1, 6], [], [7, 5], [6], [1], [], [5, 1, 6], [7], [6, 7]];
        const int rowsCount = 8, dim = 4;
        torch.manual_seed(5);
        using var init = torch.randn(rowsCount, dim);
        using var lazyTable = new Parameter(init.clone(), requires_grad: false);
        using var lazy = new LazyAdam([("t", lazyTable)], new AdamSettings(beta1, beta2, eps, wd));
        using var alwaysIds = torch.tensor(always);
        using var reference = new Parameter(init.index_select(0, alwaysIds).clone());
        using var torchAdam = torch.optim.AdamW([reference], lr: lr, beta1: beta1, beta2: beta2, eps: eps, weight_decay: wd);

        for (int step = 1; step <= others.Length; step++)
        {
            using var scope = torch.NewDisposeScope();
            // Always-touched rows in a rotating position among the others.
            var ids = step % 2 == 0 ? others[step - 1].Concat(always).ToArray() : always.AsEnumerable().Reverse().Concat(others[step - 1]).ToArray();
            var g = torch.randn(ids.Length, dim);
            var before = lazyTable.detach().clone();
            lazy.Step(0, torch.tensor(ids), g, lr, step);

            var gAlways = torch.stack(always.Select(r => g[Array.IndexOf(ids, r)]).ToArray());
            reference.grad = gAlways;
            torchAdam.step();

            var ours = lazyTable.index_select(0, alwaysIds);
            var maxDiff = (ours - reference.detach()).abs().max().item<float>();
            Assert.True(maxDiff < 1e-6, $"step {step}: rows touched at every step differ from torch AdamW by {maxDiff}");
            for (long r = 0; r < rowsCount; r++)
            {
                bool touched = ids.Contains(r);
                bool same = lazyTable[r].eq(before[r]).all().item<bool>();
                Assert.True(touched != same, $"step {step}: row {r} {(touched ? "was touched but did not move" : "was not touched but changed")}");
            }
        }
        using var never = torch.tensor(new long[] { 2, 4 });
        Assert.True(lazyTable.index_select(0, never).eq(init.index_select(0, never)).all().item<bool>(), "rows never touched changed");
    }

    [Fact]
    public void Lazy_adam_leaves_untouched_rows_and_their_state_alone()
    {
        using var init = torch.ones(4, 2);
        using var table = new Parameter(init.clone(), requires_grad: false);
        using var lazy = new LazyAdam([("t", table)], new AdamSettings());
        using var ids = torch.tensor(new long[] { 1 });
        using var g = torch.ones(1, 2);
        lazy.Step(0, ids, g, 0.1, 1);
        using var untouched = table.index_select(0, torch.tensor(new long[] { 0, 2, 3 }));
        Assert.True(untouched.eq(1f).all().item<bool>());
        using var row = table.index_select(0, ids);
        Assert.True(row.max().item<float>() < 1f);
        using var others = torch.tensor(new long[] { 0, 2, 3 });
        foreach (var (name, moment) in lazy.State())
        {
            Assert.True(moment.index_select(0, others).eq(0f).all().item<bool>(), $"{name}: untouched rows have moments");
            Assert.True(moment.index_select(0, ids).ne(0f).all().item<bool>(), $"{name}: the touched row has no moment");
        }
    }
}
