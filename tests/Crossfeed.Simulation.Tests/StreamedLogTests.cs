using Crossfeed.Core.Metrics;

namespace Crossfeed.Simulation.Tests;

/// <summary>The log generated, written and summarised a block of days at a time, never held whole.</summary>
[Collection(WorldsCollection.Name)]
public sealed class StreamedLogTests(Worlds worlds)
{
    [Fact]
    public void Days_are_grouped_into_blocks_of_a_row_group_that_end_at_every_shard()
    {
        // Six days of 100, 150, 50, 200, 20 and 80 rows; shards start on days 0 and 3; blocks close at 200 rows.
        long[] dayStart = [0, 100, 250, 300, 500, 520, 600];
        var blocks = LogBlocks.GroupDays(dayStart, [0, 3, 6], minRows: 200);
        // Days 0-1 reach 250 rows; day 2 ends at the shard; day 3 alone has 200; days 4-5 end the log with 100.
        Assert.Equal([(0, 2), (2, 3), (3, 4), (4, 6)], blocks);
    }

    [Fact]
    public void Oracle_ap_histogram_has_bins_of_a_sixteen_thousandth_of_the_probability_from_two_to_the_minus_thirty()
    {
        // Float bits of 1 and of 2^-30 are 0x3F800000 and 0x30800000; 0x0F000000 >> 9 = 0x78000 = 491,520 bins below 1.
        Assert.Equal(491_521, SummaryBuilder.ScoreBins);
        Assert.Equal(0, SummaryBuilder.Bin(0));
        Assert.Equal(0, SummaryBuilder.Bin(1e-12));
        Assert.Equal(491_520, SummaryBuilder.Bin(1));
        // 0.5 is 2^-1: 29 octaves above 2^-30, each of 2^14 bins.
        Assert.Equal(29 << 14, SummaryBuilder.Bin(0.5));
        // Probabilities 0.01% apart fall in different bins, in order; 0.001% apart may share one.
        Assert.True(SummaryBuilder.Bin(0.0301) < SummaryBuilder.Bin(0.0301 * 1.0001));
        Assert.True(SummaryBuilder.Bin(0.0301 * 1.00001) - SummaryBuilder.Bin(0.0301) <= 1);
    }

    [Fact]
    public void Oracle_aps_from_the_histogram_match_the_exact_ap_of_the_written_test_rows()
    {
        var rows = worlds.PodcastRows;
        var summary = worlds.Podcast;
        var day = rows.Get<int>("day");
        var source = rows.Get<string>("source");
        int checkedAps = 0;
        foreach (var label in new[] { "stream", "click", "like", "follow" })
        {
            var y = rows.Get<int?>(label);
            var p = rows.Get<double?>("p_" + label);
            foreach (var src in new[] { "all", "promotion", "ad" })
            {
                var test = Enumerable.Range(0, rows.Rows)
                    .Where(i => day[i] >= worlds.PodcastConfig.ValEndDay && y[i] is not null && (src == "all" || source[i] == src)).ToList();
                var oracle = summary.Oracle(label, src);
                if (test.Count == 0)
                {
                    Assert.Null(oracle);
                    continue;
                }
                var exact = BinaryMetrics.AveragePrecision(test.Select(i => (float)p[i]!.Value).ToArray(), test.Select(i => (float)y[i]!.Value).ToArray());
                Assert.NotNull(oracle);
                Assert.Equal(test.Count, oracle.N);
                Assert.Equal(test.Sum(i => (long)y[i]!.Value), oracle.Positives);
                Assert.True(Math.Abs(oracle.Ap!.Value - exact!.Value) < 2e-5, $"{label}/{src}: oracle AP {oracle.Ap:0.000000} from bins, {exact:0.000000} exact");
                checkedAps++;
            }
        }
        Assert.Equal(11, checkedAps);
    }
}
