using Crossfeed.Core;
using Crossfeed.Core.Metrics;
using Crossfeed.Data;

namespace Crossfeed.Training.Tests;

/// <summary>keep_negatives: negatives dropped from a task's loss, and the exact correction back to the natural rate.</summary>
public sealed class NegativeDownsamplingTests
{
    private static string Yaml(double keep) => $$"""
        name: tiny-stream
        encoder: { hidden: [16, 8] }
        tasks:
          - { name: stream, label: stream, tower: [8], keep_negatives: {{keep.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
        training: { epochs: 2, batch_size: 256, learning_rate: 0.01, warmup_steps: 0, seed: 3 }
        """;

    [Fact]
    public void The_correction_maps_a_downsampled_probability_to_the_natural_one()
    {
        var dataset = TinyData.Dataset();
        var task = TinyData.Model(dataset, Yaml(0.1)).Tasks[0];
        // By hand: q = 0.8 with negatives kept at 10%: p = q / (q + (1 - q) / r) = 0.8 / (0.8 + 0.2 / 0.1) = 0.8 / 2.8.
        var logitQ = Math.Log(0.8 / 0.2);
        Assert.Equal(0.8 / 2.8, 1 / (1 + Math.Exp(-(logitQ + task.LogitOffset))), 1e-6);
        // q = 0.5: p = 0.5 / 5.5.
        Assert.Equal(0.5 / 5.5, 1 / (1 + Math.Exp(-task.LogitOffset)), 1e-6);
        Assert.Equal(0f, TinyData.Model(dataset, Yaml(1)).Tasks[0].LogitOffset);
    }

    [Fact]
    public void Keep_negatives_outside_0_to_1_is_bad_input_naming_the_key()
    {
        var dataset = TinyData.Dataset();
        var e = Assert.Throws<BadInputException>(() => TinyData.Model(dataset, Yaml(0)));
        Assert.Contains("keep_negatives", e.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => TinyData.Model(dataset, Yaml(1.5)));
    }

    [Fact]
    public void About_the_kept_share_of_negatives_carries_loss_and_every_positive_does()
    {
        var dataset = TinyData.Dataset();
        var train = TinyData.Split(20_000, seed: 1);
        var targets = new TaskTargets(TinyData.Model(dataset, Yaml(0.1)), dataset);
        var rows = Enumerable.Range(0, train.Count).ToArray();
        var (y, w) = targets.Build(train, rows);
        var labels = train.Labels["stream"];
        int negatives = labels.Count(v => v < 0.5f), positives = train.Count - negatives;
        int keptNegatives = Enumerable.Range(0, train.Count).Count(i => labels[i] < 0.5f && w[i] > 0);
        // Binomial(negatives, 0.1): a 5-sigma band around 10%.
        var sd = Math.Sqrt(negatives * 0.1 * 0.9);
        Assert.InRange(keptNegatives, negatives * 0.1 - 5 * sd, negatives * 0.1 + 5 * sd);
        Assert.Equal(positives, Enumerable.Range(0, train.Count).Count(i => labels[i] > 0.5f && w[i] > 0 && y[i] == 1f));
        // Drawn once per run: the same rows again.
        Assert.Equal(w, targets.Build(train, rows).W);
    }

    /// <summary>
    /// Rows whose stream label follows a known logistic model of the one numeric feature, a rare event
    /// (p from 1% to 18%, about 6% overall): a model that reads only that feature can be calibrated, so what
    /// the test sees is the downsampling and its correction, not the noise of memorised ids.
    /// </summary>
    private static EncodedSplit Logistic(int n, int seed, SplitName name)
    {
        var split = TinyData.Split(n, seed, name: name);
        var rng = new Random(seed + 100);
        var minutes = split.Dense["minutes"];
        var stream = split.Labels["stream"];
        for (int i = 0; i < n; i++) stream[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-(-3 + 1.5 * minutes[i]))) ? 1 : 0;
        return split;
    }

    private static string LogisticYaml(double keep) => Yaml(keep).Edit("name: tiny-stream", "name: tiny-stream\nexclude_features: [user_id, show_id, history_shows]");

    [Fact]
    public void Negatives_kept_at_10_percent_are_calibrated_on_natural_data_as_well_as_without_downsampling_and_far_off_uncorrected()
    {
        var dataset = TinyData.Dataset();
        var train = Logistic(40_000, seed: 1, SplitName.Train);
        var val = Logistic(2_000, seed: 2, SplitName.Val);
        var test = Logistic(60_000, seed: 3, SplitName.Test);
        var labels = test.Labels["stream"];
        double Ece(float[] p) => BinaryMetrics.Ece(p, labels)!.Value;

        double eceFull, eceCorrected, eceUncorrected;
        using (var full = Trainer.Fit(TinyData.Model(dataset, LogisticYaml(1)), dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions()))
            eceFull = Ece(full.Predict(test)[0]);
        using (var down = Trainer.Fit(TinyData.Model(dataset, LogisticYaml(0.1)), dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions()))
        {
            eceCorrected = Ece(down.Predict(test)[0]);
            // The network's own output, before the correction: what the model says on its training distribution.
            var raw = TrainedModel.Logits(down.Network, new Nn.HostBatchBuilder(down.Layout), test, 1024)[0];
            eceUncorrected = Ece(TrainedModel.Probabilities(raw, 1f));
        }
        Assert.True(Math.Abs(eceCorrected - eceFull) <= 0.005, $"ECE corrected {eceCorrected:F4} vs without downsampling {eceFull:F4}, uncorrected {eceUncorrected:F4}");
        Assert.True(eceUncorrected > 0.2, $"ECE uncorrected {eceUncorrected:F4}");
    }
}
