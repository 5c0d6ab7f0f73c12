using Crossfeed.Core.Metrics;
using Crossfeed.Evaluation.Metrics;

namespace Crossfeed.Evaluation.Tests;

public sealed class MetricEngineTests
{
    [Fact]
    public void Sliced_ap_matches_the_scikit_learn_definition_with_ties_on_every_slice()
    {
        var rng = new Random(5);
        int n = 400;
        var scores = Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble(), 1)).ToArray(); // many ties
        var labels = scores.Select(s => rng.NextDouble() < 0.2 + 0.5 * s ? 1f : 0f).ToArray();
        var tier = Enumerable.Range(0, n).Select(i => (double)(i % 3)).ToArray();
        var streams = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? double.NaN : i % 2 == 0 ? 100.0 : 50_000.0).ToArray();
        var slices = SliceMap.Build(n, tier, streams, lessStreamedBelow: 5000);
        Assert.Equal(["all", "tier:0", "tier:1", "tier:2", "less_streamed", "rest"], slices.Names);
        var ap = new SlicedAveragePrecision(scores, labels, slices, "test").Compute();
        Assert.Equal(BinaryMetrics.AveragePrecision(scores, labels)!.Value, ap[0]!.Value, 12);
        for (int t = 0; t < 3; t++)
        {
            var keep = Enumerable.Range(0, n).Where(i => i % 3 == t).ToArray();
            Assert.Equal(BinaryMetrics.AveragePrecision(keep.Select(i => scores[i]).ToArray(), keep.Select(i => labels[i]).ToArray())!.Value, ap[1 + t]!.Value, 12);
        }
        var less = Enumerable.Range(0, n).Where(i => i % 5 != 0 && i % 2 == 0).ToArray();
        Assert.Equal(BinaryMetrics.AveragePrecision(less.Select(i => scores[i]).ToArray(), less.Select(i => labels[i]).ToArray())!.Value, ap[4]!.Value, 12);
    }

    [Fact]
    public void Weighted_ap_of_a_resample_equals_ap_of_the_materialised_resample()
    {
        var rng = new Random(9);
        int n = 150;
        var scores = Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble(), 2)).ToArray();
        var labels = scores.Select(s => rng.NextDouble() < s ? 1f : 0f).ToArray();
        var slices = SliceMap.Build(n, Enumerable.Range(0, n).Select(i => (double)(i % 2)).ToArray(), null, lessStreamedBelow: 5000);
        var boot = new SlicedAveragePrecision(scores, labels, slices, "test").Bootstrap(resamples: 20, seed: 3);
        for (int b = 0; b < 20; b++)
        {
            var counts = Resampler.Counts(n, 3, b);
            Assert.Equal(n, counts.Sum());
            var s = new List<float>();
            var l = new List<float>();
            for (int i = 0; i < n; i++)
                for (int c = 0; c < counts[i]; c++)
                {
                    s.Add(scores[i]);
                    l.Add(labels[i]);
                }
            Assert.Equal(BinaryMetrics.AveragePrecision(s.ToArray(), l.ToArray())!.Value, boot[0][b]!.Value, 12);
        }
    }

    [Fact]
    public void A_resample_draws_n_rows_with_replacement_the_same_for_the_same_seed_and_different_otherwise()
    {
        const int n = 100_000;
        var counts = Resampler.Counts(n, 3, 7);
        Assert.Equal(n, counts.Sum()); // n draws, so the mean multiplicity is exactly 1
        Assert.All(counts, c => Assert.True(c >= 0));
        // n draws with replacement from n rows: a row is never drawn with probability (1 - 1/n)^n ~ 1/e = 0.3679
        // (sd of the fraction ~ sqrt(0.368 * 0.632 / n) = 0.0015), drawn exactly once also ~ 1/e, twice ~ 1/(2e) = 0.1839.
        Assert.InRange(counts.Count(c => c == 0) / (double)n, 0.3679 - 0.008, 0.3679 + 0.008);
        Assert.InRange(counts.Count(c => c == 1) / (double)n, 0.3679 - 0.008, 0.3679 + 0.008);
        Assert.InRange(counts.Count(c => c == 2) / (double)n, 0.1839 - 0.008, 0.1839 + 0.008);
        // The same seed and resample give the same rows (so every variant is compared on the same rows) ...
        Assert.Equal(counts, Resampler.Counts(n, 3, 7));
        // ... another resample or another seed gives other rows: two independent resamples agree on a row's
        // multiplicity with probability sum_k Poisson(k)^2 = e^-2 I0(2) ~ 0.3085, far from all rows.
        foreach (var other in new[] { Resampler.Counts(n, 3, 8), Resampler.Counts(n, 4, 7) })
            Assert.InRange(counts.Zip(other).Count(p => p.First == p.Second) / (double)n, 0.3085 - 0.01, 0.3085 + 0.01);
        // The buffer overload writes the same counts over whatever it held.
        var buffer = Enumerable.Repeat(9, n).ToArray();
        Assert.Same(buffer, Resampler.Counts(n, 3, 7, buffer));
        Assert.Equal(counts, buffer);
    }

    [Fact]
    public void Less_streamed_slice_is_below_the_given_threshold_and_unknown_streams_are_in_neither()
    {
        // streams 999 (< 1000: less), 1000 (not below: rest), NaN (neither), 20 (less)
        var map = SliceMap.Build(4, null, [999, 1000, double.NaN, 20], lessStreamedBelow: 1000);
        Assert.Equal(["all", "less_streamed", "rest"], map.Names);
        Assert.Equal([1, 2, -1, 1], map.StreamSlice);
        var wider = SliceMap.Build(4, null, [999, 1000, double.NaN, 20], lessStreamedBelow: 5000);
        Assert.Equal([1, 1, -1, 1], wider.StreamSlice);
    }

    [Fact]
    public void Percentile_interval_takes_nearest_rank_quantiles_of_the_defined_values()
    {
        // 21 defined values 0, 0.05, ..., 1 and one undefined: 2.5% -> rank floor(0.025 * 20 + 0.5) = 1 (0.05),
        // 97.5% -> rank floor(0.975 * 20 + 0.5) = 20 (1.0). Defined on fewer than half of the values: no interval.
        var values = Enumerable.Range(0, 21).Select(i => (double?)(i / 20.0)).Append(null).ToList();
        var ci = PercentileInterval.Of(values)!.Value;
        Assert.Equal(0.05, ci.Low, 12);
        Assert.Equal(1.0, ci.High, 12);
        Assert.Null(PercentileInterval.Of([0.5, null, null, null, null]));
    }
}
