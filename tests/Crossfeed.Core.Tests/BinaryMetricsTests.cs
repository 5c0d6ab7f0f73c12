using Crossfeed.Core.Metrics;

namespace Crossfeed.Core.Tests;

public class BinaryMetricsTests
{
    [Fact]
    public void Average_precision_matches_a_hand_computed_value()
    {
        // Ranked: 0.9(1) 0.8(0) 0.7(1) 0.1(0): AP = 0.5*1 + 0.5*(2/3) = 0.8333
        var ap = BinaryMetrics.AveragePrecision([0.9f, 0.8f, 0.7f, 0.1f], [1, 0, 1, 0]);
        Assert.Equal(5.0 / 6.0, ap!.Value, 12);
    }

    [Fact]
    public void Average_precision_treats_equal_scores_as_one_step()
    {
        // Scores 0.5 for all: one threshold, precision 2/4 at recall 1.
        var ap = BinaryMetrics.AveragePrecision([0.5f, 0.5f, 0.5f, 0.5f], [1, 0, 1, 0]);
        Assert.Equal(0.5, ap!.Value, 12);
        // 0.9(1), then a tie {0.4(0), 0.4(1)}: 0.5*1 + 0.5*(2/3); ranking the tied positive first would give 1.
        var tied = BinaryMetrics.AveragePrecision([0.9f, 0.4f, 0.4f], [1, 0, 1]);
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, tied!.Value, 12);
        var tiedOtherOrder = BinaryMetrics.AveragePrecision([0.4f, 0.9f, 0.4f], [1, 1, 0]);
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, tiedOtherOrder!.Value, 12);
    }

    [Fact]
    public void Average_precision_with_weights_matches_a_hand_computed_value()
    {
        // 0.9(1, w1): tp 1, seen 1, recall 1/2, precision 1 -> 0.5
        // 0.8(0, w2): tp 1, seen 3, recall unchanged -> + 0
        // 0.7(1, w1): tp 2, seen 4, recall 1, precision 1/2 -> + 0.5 * 0.5 = 0.25; AP = 0.75
        float[] scores = [0.9f, 0.8f, 0.7f];
        float[] labels = [1, 0, 1];
        Assert.Equal(0.75, BinaryMetrics.AveragePrecision(scores, labels, new[] { 1, 2, 1 })!.Value, 12);
        // Real weights: 0.9(0, w0.5): recall 0; 0.8(1, w1): tp 1, seen 1.5, recall 1/2, precision 2/3 -> 1/3;
        // 0.7(1, w1): tp 2, seen 2.5, recall 1, precision 0.8 -> + 0.4; AP = 1/3 + 0.4
        Assert.Equal(1.0 / 3.0 + 0.4, BinaryMetrics.AveragePrecision(scores, [0, 1, 1], new[] { 0.5, 1.0, 1.0 })!.Value, 12);
    }

    [Fact]
    public void A_row_of_weight_two_counts_like_the_row_given_twice()
    {
        float[] scores = [0.9f, 0.8f, 0.8f, 0.6f, 0.3f, 0.2f, 0.05f];
        float[] labels = [1, 0, 1, 0, 1, 0, 0];
        int[] counts = [2, 1, 0, 3, 1, 2, 1];
        var dupScores = new List<float>();
        var dupLabels = new List<float>();
        for (int i = 0; i < scores.Length; i++)
            for (int c = 0; c < counts[i]; c++)
            {
                dupScores.Add(scores[i]);
                dupLabels.Add(labels[i]);
            }
        float[] s = [.. dupScores], l = [.. dupLabels];
        Assert.Equal(BinaryMetrics.AveragePrecision(s, l)!.Value, BinaryMetrics.AveragePrecision(scores, labels, counts)!.Value, 12);
        Assert.Equal(BinaryMetrics.RocAuc(s, l)!.Value, BinaryMetrics.RocAuc(scores, labels, counts)!.Value, 12);
        Assert.Equal(BinaryMetrics.LogLoss(s, l)!.Value, BinaryMetrics.LogLoss(scores, labels, counts)!.Value, 12);
        Assert.Equal(BinaryMetrics.Ece(s, l)!.Value, BinaryMetrics.Ece(scores, labels, counts)!.Value, 12);
        var (p, r) = BinaryMetrics.PrecisionRecall(s, l);
        var (pw, rw) = BinaryMetrics.PrecisionRecall(scores, labels, counts);
        Assert.Equal(p, pw);
        Assert.Equal(r, rw);
        // Double weights of the same values count the same.
        var asDouble = counts.Select(c => (double)c).ToArray();
        Assert.Equal(BinaryMetrics.AveragePrecision(s, l)!.Value, BinaryMetrics.AveragePrecision(scores, labels, asDouble)!.Value, 12);
    }

    [Fact]
    public void Metrics_without_positives_are_null_not_nan()
    {
        Assert.Null(BinaryMetrics.AveragePrecision([0.1f, 0.2f], [0, 0]));
        Assert.Null(BinaryMetrics.RocAuc([0.1f, 0.2f], [1, 1]));
        Assert.Null(BinaryMetrics.AveragePrecision([0.9f, 0.2f], [1, 0], new[] { 0, 1 }));
        Assert.Null(BinaryMetrics.LogLoss([0.5f], [float.NaN]));
    }

    [Fact]
    public void Roc_auc_counts_ties_one_half_and_skips_unknown_labels()
    {
        Assert.Equal(1.0, BinaryMetrics.RocAuc([0.9f, 0.1f], [1, 0])!.Value, 12);
        Assert.Equal(0.5, BinaryMetrics.RocAuc([0.5f, 0.5f], [1, 0])!.Value, 12);
        // pos {0.8, 0.4}, neg {0.6, 0.4}: pairs (0.8>0.6)=1 (0.8>0.4)=1 (0.4<0.6)=0 (0.4=0.4)=0.5 -> 2.5/4
        Assert.Equal(0.625, BinaryMetrics.RocAuc([0.8f, 0.4f, 0.6f, 0.4f, 0.99f], [1, 1, 0, 0, float.NaN])!.Value, 12);
        // Weighted: pos 0.5 (w1) against neg 0.9 (w1) and neg 0.1 (w3): it beats 3 of 4 negative weight -> 0.75
        Assert.Equal(0.75, BinaryMetrics.RocAuc([0.9f, 0.5f, 0.1f], [0, 1, 0], new[] { 1, 1, 3 })!.Value, 12);
    }

    [Fact]
    public void Nan_labels_are_skipped_by_every_metric()
    {
        // The 0.95 row has no label: AP is that of 0.9(1) 0.8(0) 0.7(1) 0.1(0) = 5/6.
        float[] scores = [0.95f, 0.9f, 0.8f, 0.7f, 0.1f];
        float[] labels = [float.NaN, 1, 0, 1, 0];
        Assert.Equal(5.0 / 6.0, BinaryMetrics.AveragePrecision(scores, labels)!.Value, 12);
        // pos {0.9, 0.7} vs neg {0.8, 0.1}: 1 + 1 + 0 + 1 = 3 of 4
        Assert.Equal(0.75, BinaryMetrics.RocAuc(scores, labels)!.Value, 12);
        // -(ln 0.9 + ln 0.2 + ln 0.7 + ln 0.9) / 4
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.2) + Math.Log(0.7) + Math.Log(0.9)) / 4, BinaryMetrics.LogLoss(scores, labels)!.Value, 6);
        Assert.Equal(4, BinaryMetrics.Reliability(scores, labels).Sum(b => b.Weight));
    }

    [Fact]
    public void Log_loss_matches_a_hand_computed_value_with_and_without_weights()
    {
        // -(ln 0.8 + ln(1 - 0.4)) / 2, and with weights 3 and 1: -(3 ln 0.8 + ln 0.6) / 4
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, BinaryMetrics.LogLoss([0.8f, 0.4f], [1, 0])!.Value, 6);
        Assert.Equal(-(3 * Math.Log(0.8) + Math.Log(0.6)) / 4, BinaryMetrics.LogLoss([0.8f, 0.4f], [1, 0], new[] { 3.0, 1.0 })!.Value, 6);
    }

    [Fact]
    public void Ece_uses_fifteen_equal_width_bins_weighted_by_share_of_rows()
    {
        // 0.05 and 0.06 share bin 0: mean p 0.055, rate 1/2 -> |0.055 - 0.5| = 0.445, 2 rows;
        // 0.95 alone in bin 14: |0.95 - 1| = 0.05, 1 row. ECE = (2 * 0.445 + 0.05) / 3 = 0.31333
        Assert.Equal((2 * 0.445 + 0.05) / 3, BinaryMetrics.Ece([0.05f, 0.06f, 0.95f], [1, 0, 1])!.Value, 6);
    }

    [Fact]
    public void Equal_mass_bins_split_by_cumulative_weight()
    {
        // Two bins of 4 rows: {0.1, 0.2} mean 0.15 rate 0; {0.3, 0.4} mean 0.35 rate 1. ECE = (2*0.15 + 2*0.65) / 4 = 0.4
        float[] scores = [0.3f, 0.1f, 0.4f, 0.2f];
        float[] labels = [1, 0, 1, 0];
        Assert.Equal(0.4, BinaryMetrics.Ece(scores, labels, bins: 2, equalMass: true)!.Value, 6);
        // Weight 2 on 0.1: total 5; weight before 0.1 = 0 -> bin 0, before 0.2 = 2 -> floor(2*2/5) = 0,
        // before 0.3 = 3 -> floor(6/5) = 1. Bin 0: mean (2*0.1 + 0.2)/3 = 0.1333, rate 0; bin 1: 0.35, rate 1.
        // ECE = (3 * 0.1333 + 2 * 0.65) / 5 = 0.34
        var bins = BinaryMetrics.Reliability(scores, labels, new[] { 1, 2, 1, 1 }, bins: 2, equalMass: true);
        Assert.Equal([3.0, 2.0], bins.Select(b => b.Weight));
        Assert.Equal(0.4 / 3, bins[0].MeanPredicted, 6);
        Assert.Equal(0.34, BinaryMetrics.Ece(scores, labels, new[] { 1, 2, 1, 1 }, bins: 2, equalMass: true)!.Value, 6);
    }

    [Fact]
    public void Precision_recall_has_one_point_per_distinct_score()
    {
        // 0.9(1): P 1, R 1/2; tie {0.4(0), 0.4(1)}: P 2/3, R 1; 0.1(0): P 2/4, R 1
        var (precision, recall) = BinaryMetrics.PrecisionRecall([0.9f, 0.4f, 0.4f, 0.1f], [1, 0, 1, 0]);
        Assert.Equal([1.0, 2.0 / 3.0, 0.5], precision);
        Assert.Equal([0.5, 1.0, 1.0], recall);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Every_metric_rejects_a_non_finite_score_naming_the_metric_and_the_row(float bad)
    {
        float[] scores = [0.4f, bad, 0.2f];
        float[] labels = [1, 0, 1];
        var cases = new (string Metric, Action Call)[]
        {
            ("average precision", () => BinaryMetrics.AveragePrecision(scores, labels)),
            ("ROC-AUC", () => BinaryMetrics.RocAuc(scores, labels)),
            ("log loss", () => BinaryMetrics.LogLoss(scores, labels)),
            ("ECE", () => BinaryMetrics.Ece(scores, labels, equalMass: true)),
            ("reliability curve", () => BinaryMetrics.Reliability(scores, labels)),
            ("precision-recall curve", () => BinaryMetrics.PrecisionRecall(scores, labels)),
        };
        foreach (var (metric, call) in cases)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Contains(metric, e.Message);
            Assert.Contains("row 1", e.Message);
        }
    }

    [Fact]
    public void A_restricted_ranking_equals_the_metric_on_the_kept_rows()
    {
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f];
        float[] labels = [1, 0, 0, 1, 1];
        // Keeping rows 1, 3, 4: 0.8(0) 0.6(1) 0.5(1): 0.6: recall 1/2, precision 1/2 -> 0.25; 0.5: recall 1, precision 2/3 -> 1/3
        var kept = RankedRows.Of(scores, labels, "test").Where(i => i is 1 or 3 or 4);
        Assert.Equal(0.25 + 0.5 * 2.0 / 3.0, kept.AveragePrecision()!.Value, 12);
    }
}
