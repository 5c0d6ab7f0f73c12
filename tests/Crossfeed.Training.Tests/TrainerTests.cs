using Crossfeed.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Training.Tests;

public class TrainerTests
{
    private static (double PromoTower, double AdTower) TowerGradNorms(string modelYaml)
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, modelYaml);
        torch.manual_seed(1);
        var layout = FeatureLayout.Build(dataset, model, TinyData.TableRows);
        using var net = new MultiTaskModel(layout, model);
        var ads = TinyData.Split(128, seed: 9, onlySource: 1);
        var rows = Enumerable.Range(0, ads.Count).ToArray();
        var targets = new TaskTargets(model, dataset);
        using var scope = torch.NewDisposeScope();
        var batch = new DeviceBatch(new HostBatchBuilder(layout).Build(ads, rows));
        var (y, w) = targets.Build(ads, rows);
        var logits = net.call(batch);
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, torch.tensor(y).reshape(128, 3), reduction: nn.Reduction.None);
        var wt = torch.tensor(w).reshape(128, 3);
        ((bce * wt).sum(0L) / wt.sum(0L).clamp_min(1)).sum().backward();
        double Norm(int task) => net.Heads[task].parameters()
            .Select(p => p.grad is { } g ? g.abs().sum().item<float>() : 0.0)
            .DefaultIfEmpty(double.NaN).Sum();
        return (Norm(0), Norm(1));
    }

    [Fact]
    public void Masked_ad_rows_do_not_update_promotion_heads()
    {
        var (promo, ad) = TowerGradNorms(TinyData.JointYaml);
        Assert.False(double.IsNaN(promo), "the promotion head has no parameters");
        Assert.Equal(0.0, promo);
        Assert.True(ad > 0, "the ad tower should learn from ad rows");
    }

    [Fact]
    public void Without_masking_ad_rows_do_update_promotion_heads()
    {
        var yaml = TinyData.JointYaml.Replace("  - { source: ad, tasks: [promo_stream], weight: 0 }\n", "", StringComparison.Ordinal)
                                     .Replace("masks:\n", "", StringComparison.Ordinal);
        var (promo, _) = TowerGradNorms(yaml);
        Assert.True(promo > 0, "with no mask, ad rows carry stream loss to the promotion head");
    }

    [Fact]
    public void Training_learns_the_signal_and_live_tensor_count_stays_flat()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml.Replace("batch_size: 64", "batch_size: 32", StringComparison.Ordinal));
        var train = TinyData.Split(6400, seed: 1);
        var val = TinyData.Split(1000, seed: 2, name: Core.SplitName.Val);
        var stats = DisposeScopeManager.Statistics;
        var live = new Dictionary<long, long>();
        using var result = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset),
            new TrainOptions(AfterStep: (step, _) => live[step] = stats.ThreadTotalLiveCount));
        // 200 steps per epoch; the epoch boundary legitimately keeps a snapshot of the best weights.
        Assert.Equal(400, live.Count);
        Assert.InRange(live[200] - live[20], -2, 2);
        Assert.InRange(live[400] - live[220], -2, 2);
        var ap = result.History.Epochs[^1].ValAp["promo_stream"];
        Assert.True(ap > 0.38, $"promo_stream validation AP {ap} should clearly beat the base rate (~0.27)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_killed_run_resumed_from_its_checkpoint_matches_an_uninterrupted_run(bool idDropout)
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, TinyData.JointYaml + (idDropout ? "\nid_dropout: { user_id: 0.3 }\n" : ""));
        var train = TinyData.Split(1600, seed: 1);
        var val = TinyData.Split(400, seed: 2, name: Core.SplitName.Val);
        var dir = Path.Combine(Path.GetTempPath(), $"cf-ckpt-{Guid.NewGuid():N}");
        try
        {
            using var full = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions());
            using (var killed = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions(dir, StopAfterSteps: 33)))
                Assert.False(killed.History.Completed);
            using var resumed = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions(dir, Resume: true));
            Assert.True(resumed.History.Completed);
            // Checkpoints every 5 steps: the resumed run repeats steps 31-33 with the same batches, dropout seeds and
            // optimiser state, so it must end bit for bit where the uninterrupted run ends.
            var expected = full.Network.state_dict();
            var actual = resumed.Network.state_dict();
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, tensor) in expected)
            {
                var maxDiff = (tensor.to_type(ScalarType.Float64) - actual[name].to_type(ScalarType.Float64)).abs().max().item<double>();
                Assert.True(maxDiff == 0, $"{name}: resumed weights differ from the uninterrupted run's by up to {maxDiff}");
            }
            Assert.Equal(full.History.Epochs.Select(e => e.ValAp), resumed.History.Epochs.Select(e => e.ValAp));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
