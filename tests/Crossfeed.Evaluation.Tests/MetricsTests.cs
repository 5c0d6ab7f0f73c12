using Crossfeed.Core.Metrics;
using Crossfeed.Evaluation.Calibration;
using Crossfeed.Evaluation.Metrics;

namespace Crossfeed.Evaluation.Tests;

public class MetricsTests
{
    [Fact]
    public void Log_loss_matches_a_hand_computed_value_and_skips_unknown_labels()
    {
        // -(ln 0.8 + ln(1 - 0.4)) / 2
        var expected = -(Math.Log(0.8) + Math.Log(0.6)) / 2;
        Assert.Equal(expected, BinaryMetrics.LogLoss([0.8f, 0.4f, 0.9f], [1, 0, float.NaN])!.Value, 6);
        Assert.Null(BinaryMetrics.LogLoss([0.5f], [float.NaN]));
    }

    [Fact]
    public void Ece_with_equal_width_bins_matches_a_hand_computed_value()
    {
        // 15 bins: 0.05 and 0.06 share bin 0 (mean 0.055, rate 0.5); 0.95 in bin 14 (rate 1).
        // ECE = (2/3)|0.055 - 0.5| + (1/3)|0.95 - 1| = 0.29667 + 0.01667
        var ece = BinaryMetrics.Ece([0.05f, 0.06f, 0.95f], [1, 0, 1])!.Value;
        Assert.Equal(2.0 / 3 * 0.445 + 1.0 / 3 * 0.05, ece, 5);
    }

    [Fact]
    public void Ece_with_equal_mass_bins_puts_the_same_count_in_each_bin()
    {
        var scores = Enumerable.Range(0, 30).Select(i => i / 30f).ToArray();
        var labels = scores.Select((_, i) => i % 2 == 0 ? 1f : 0f).ToArray();
        var bins = BinaryMetrics.Reliability(scores, labels, bins: 3, equalMass: true);
        Assert.Equal(3, bins.Count);
        Assert.All(bins, b => Assert.Equal(10, b.Weight));
        Assert.Equal(0.5, bins[0].FractionPositive, 9);
    }

    [Fact]
    public void A_perfectly_calibrated_score_has_a_small_ece()
    {
        var rng = new Random(3);
        var p = Enumerable.Range(0, 50_000).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = p.Select(v => rng.NextDouble() < v ? 1f : 0f).ToArray();
        Assert.True(BinaryMetrics.Ece(p, y)!.Value < 0.01);
    }

    [Fact]
    public void Precision_recall_has_one_point_per_distinct_threshold()
    {
        var (precision, recall) = BinaryMetrics.PrecisionRecall([0.9f, 0.4f, 0.4f, 0.1f], [1, 0, 1, 0]);
        Assert.Equal(new[] { 1.0, 2.0 / 3, 0.5 }, precision);
        Assert.Equal(new[] { 0.5, 1.0, 1.0 }, recall);
    }

    [Fact]
    public void A_slice_without_positives_reports_null_metrics_with_a_reason()
    {
        var m = MetricSets.Compute([0.2f, 0.3f], [0, 0], bootstrapResamples: 50);
        Assert.Null(m.Ap);
        Assert.Null(m.Auc);
        Assert.Null(m.ApLow);
        Assert.NotNull(m.LogLoss);
        Assert.Contains("no positives", m.Note);
        var noNeg = MetricSets.Compute([0.2f, 0.3f], [1, 1]);
        Assert.Equal(1.0, noNeg.Ap);
        Assert.Null(noNeg.Auc);
        Assert.Contains("no negatives", noNeg.Note);
    }

    [Fact]
    public void Oracle_ap_is_the_ap_of_the_true_probabilities_on_the_same_rows()
    {
        var m = MetricSets.Compute([0.1f, 0.9f, 0.5f], [1, 0, 1], truth: [0.9f, 0.6f, 0.1f]);
        // By score: 0.9 (negative), 0.5 (positive, precision 1/2), 0.1 (positive, precision 2/3): AP = (1/2 + 2/3) / 2 = 7/12.
        // By truth: 0.9 (positive, precision 1), 0.6 (negative), 0.1 (positive, precision 2/3): oracle AP = (1 + 2/3) / 2 = 5/6.
        // Fraction of oracle = (7/12) / (5/6) = 7/10.
        Assert.Equal(7.0 / 12, m.Ap!.Value, 12);
        Assert.Equal(5.0 / 6, m.OracleAp!.Value, 12);
        Assert.Equal(0.7, m.FractionOfOracle!.Value, 12);
    }

    [Fact]
    public void Bootstrap_intervals_contain_the_estimate_and_shrink_with_more_rows()
    {
        var rng = new Random(5);
        (float[] S, float[] L) Make(int n)
        {
            var s = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
            return (s, s.Select(v => rng.NextDouble() < v * 0.5 ? 1f : 0f).ToArray());
        }
        var (s1, l1) = Make(2_000);
        var (s2, l2) = Make(50_000);
        var ap1 = BinaryMetrics.AveragePrecision(s1, l1)!.Value;
        var small = MetricSets.Compute(s1, l1, bootstrapResamples: 200);
        var large = MetricSets.Compute(s2, l2, bootstrapResamples: 200);
        Assert.Equal(ap1, small.Ap!.Value, 12);
        Assert.InRange(ap1, small.ApLow!.Value, small.ApHigh!.Value);
        Assert.True(large.ApHigh - large.ApLow < (small.ApHigh - small.ApLow) / 2);
    }

    [Fact]
    public void Temperature_scaling_recovers_the_temperature_that_generated_the_labels()
    {
        var rng = new Random(7);
        var logits = Enumerable.Range(0, 40_000).Select(_ => (float)(rng.NextDouble() * 12 - 6)).ToArray();
        // Labels drawn from sigmoid(z / 2.5): the model's logits are over-confident by 2.5x.
        var labels = logits.Select(z => rng.NextDouble() < 1 / (1 + Math.Exp(-z / 2.5)) ? 1f : 0f).ToArray();
        var t = TemperatureScaling.Fit(logits, labels);
        Assert.InRange(t, 2.3, 2.7);
        Assert.True(TemperatureScaling.Nll(logits, labels, null, t) < TemperatureScaling.Nll(logits, labels, null, 1));
    }

    [Fact]
    public void Temperature_scaling_weights_count_rows_as_often_as_their_weight()
    {
        float[] logits = [2, -1, 0.5f];
        float[] labels = [1, 0, 0];
        var weighted = TemperatureScaling.Fit(logits, labels, [1, 1, 3]);
        var repeated = TemperatureScaling.Fit([2, -1, 0.5f, 0.5f, 0.5f], [1, 0, 0, 0, 0]);
        Assert.Equal(repeated, weighted, 4);
    }
}
