using Crossfeed.Core.Metrics;

namespace Crossfeed.Core.Tests;

public class RankingTests
{
    [Fact]
    public void Average_precision_matches_a_hand_computed_value()
    {
        // Ranked: 0.9(1) 0.8(0) 0.7(1) 0.1(0): AP = 0.5*1 + 0.5*(2/3) = 0.8333
        var ap = Ranking.AveragePrecision([0.9f, 0.8f, 0.7f, 0.1f], [1, 0, 1, 0]);
        Assert.Equal(5.0 / 6.0, ap!.Value, 12);
    }

    [Fact]
    public void Average_precision_treats_equal_scores_as_one_step()
    {
        // Scores 0.5 for all: one threshold, precision 2/4 at recall 1.
        var ap = Ranking.AveragePrecision([0.5f, 0.5f, 0.5f, 0.5f], [1, 0, 1, 0]);
        Assert.Equal(0.5, ap!.Value, 12);
        // 0.9(1), then a tie {0.4(0), 0.4(1)}: 0.5*1 + 0.5*(2/3)
        var tied = Ranking.AveragePrecision([0.9f, 0.4f, 0.4f], [1, 0, 1]);
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, tied!.Value, 12);
    }

    [Fact]
    public void Metrics_without_positives_are_null_not_nan()
    {
        Assert.Null(Ranking.AveragePrecision([0.1f, 0.2f], [0, 0]));
        Assert.Null(Ranking.RocAuc([0.1f, 0.2f], [1, 1]));
    }

    [Fact]
    public void Roc_auc_counts_ties_one_half_and_skips_unknown_labels()
    {
        Assert.Equal(1.0, Ranking.RocAuc([0.9f, 0.1f], [1, 0])!.Value, 12);
        Assert.Equal(0.5, Ranking.RocAuc([0.5f, 0.5f], [1, 0])!.Value, 12);
        // pos {0.8, 0.4}, neg {0.6, 0.4}: pairs (0.8>0.6)=1 (0.8>0.4)=1 (0.4<0.6)=0 (0.4=0.4)=0.5 -> 2.5/4
        Assert.Equal(0.625, Ranking.RocAuc([0.8f, 0.4f, 0.6f, 0.4f, 0.99f], [1, 1, 0, 0, float.NaN])!.Value, 12);
    }
}
