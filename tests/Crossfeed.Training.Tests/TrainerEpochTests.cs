using Crossfeed.Core;

namespace Crossfeed.Training.Tests;

/// <summary>What an epoch is, and that training walks every row of a source before repeating one.</summary>
public sealed class TrainerEpochTests
{
    private const string PromoOnlyYaml = """
        name: tiny-promo-only
        encoder: { hidden: [16, 8] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
        sampling: { mode: balanced, shares: { promotion: 1.0, ad: 0.0 } }
        training: { epochs: 3, batch_size: 64, learning_rate: 0.01, warmup_steps: 0, seed: 3 }
        """;

    private const string JointYaml = TinyData.BalancedJointYaml;

    /// <summary>Trains and returns the rows drawn at every step.</summary>
    private static List<int[]> Draws(string yaml, EncodedSplitPair data)
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, yaml);
        var draws = new List<int[]>();
        using var trained = Trainer.Fit(model, dataset, data.Train, data.Val, TinyData.Preprocessor(dataset),
            new TrainOptions(AfterStep: (_, rows) => draws.Add(rows)));
        return draws;
    }

    private sealed record EncodedSplitPair(Data.EncodedSplit Train, Data.EncodedSplit Val);

    private static EncodedSplitPair Skewed() => new(TinyData.Skewed(), TinyData.Split(200, seed: 6, name: SplitName.Val));

    [Fact]
    public void An_epoch_is_the_rows_the_model_draws_so_a_promotions_only_model_takes_fewer_steps()
    {
        var data = Skewed();
        // 300 promotion rows / 64 = 4.7 -> 5 steps per epoch, 3 epochs; the joint model draws all 1,000 rows: 16 per epoch.
        Assert.Equal(3 * 5, Draws(PromoOnlyYaml, data).Count);
        Assert.Equal(3 * 16, Draws(JointYaml, data).Count);
    }

    [Fact]
    public void Every_row_of_every_source_comes_up_before_any_row_of_it_repeats_across_epochs()
    {
        var data = Skewed();
        var draws = Draws(JointYaml, data);
        // 48 steps x 32 rows of each source. Ads: 1,536 draws of 700 rows = every row twice, then 136 of them a
        // third time; promotions: 1,536 draws of 300 rows = every row 5 times, then 36 a sixth time. (Rows are
        // shuffled within a batch, so the order inside the batch that wraps around is not checked.)
        TinyData.AssertCycles(draws, data.Train, source: 1, rows: 700, full: 2, extra: 136);
        TinyData.AssertCycles(draws, data.Train, source: 0, rows: 300, full: 5, extra: 36);
        // The first 21 batches (672 ad rows, within the first pass over the 700) repeat no ad row.
        var firstAds = draws.Take(21).SelectMany(b => b).Where(r => data.Train.Source[r] == 1).ToList();
        Assert.Equal(672, firstAds.Distinct().Count());
    }
}
