using TorchSharp;
using TorchSharp.Modules;

namespace Crossfeed.Training.Tests;

public class LazyAdamTests
{
    [Fact]
    public void Lazy_adam_equals_dense_adam_on_rows_touched_at_every_step()
    {
        torch.manual_seed(5);
        using var init = torch.randn(6, 4);
        using var denseTable = new Parameter(init.clone());
        using var lazyTable = new Parameter(init.clone(), requires_grad: false);
        var settings = new AdamSettings(WeightDecay: 0);
        using var dense = new DenseAdam([("t", denseTable)], settings);
        using var lazy = new LazyAdam([("t", lazyTable)], settings);
        using var touched = torch.tensor(new long[] { 0, 2, 5 });
        for (int step = 1; step <= 25; step++)
        {
            using var scope = torch.NewDisposeScope();
            var g = torch.randn(3, 4);
            // Dense: the full-table gradient is zero outside the touched rows.
            denseTable.grad = torch.zeros(6, 4).index_copy(0, touched, g);
            dense.Step(0.05, step);
            lazy.Step(0, touched, g, 0.05, step);
        }
        using var d = denseTable.index_select(0, touched);
        using var l = lazyTable.index_select(0, touched);
        Assert.True(torch.allclose(d, l, rtol: 1e-5, atol: 1e-6), "touched rows differ between lazy and dense Adam");
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
    }
}
