using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

public sealed class SamplerTests
{
    /// <summary>90% source 0 (promotion), 10% source 1 (ad), interleaved.</summary>
    private static int[] Skewed(int n = 10_000) => Enumerable.Range(0, n).Select(i => i % 10 == 7 ? 1 : 0).ToArray();

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public void Balanced_batches_draw_the_configured_share_whatever_the_volumes(double adShare)
    {
        var source = Skewed();
        var sampler = new SourceBalancedSampler(source, [1 - adShare, adShare], batchSize: 256, seed: 7);
        var buf = new int[256];
        long ads = 0, total = 0;
        for (int b = 0; b < 200; b++)
        {
            int n = sampler.NextBatch(buf);
            Assert.Equal(256, n);
            int batchAds = buf.Take(n).Count(r => source[r] == 1);
            Assert.InRange(batchAds, (int)Math.Floor(adShare * 256), (int)Math.Ceiling(adShare * 256));
            ads += batchAds;
            total += n;
        }
        Assert.Equal(adShare, (double)ads / total, 6);
        Assert.Equal(adShare / 0.1, sampler.EffectiveWeights[1], 9);
        Assert.Equal((1 - adShare) / 0.9, sampler.EffectiveWeights[0], 9);
    }

    [Fact]
    public void Shares_that_do_not_divide_the_batch_are_exact_over_many_batches()
    {
        var source = Enumerable.Range(0, 3000).Select(i => i % 3).ToArray();
        var sampler = new SourceBalancedSampler(source, [0.5, 0.3, 0.2], batchSize: 7, seed: 1);
        var counts = new long[3];
        var buf = new int[7];
        for (int b = 0; b < 1000; b++)
        {
            Assert.Equal(7, sampler.NextBatch(buf));
            foreach (var r in buf) counts[source[r]]++;
        }
        Assert.Equal([3500, 2100, 1400], counts);
    }

    [Fact]
    public void Minority_source_cycles_and_every_row_is_drawn_before_repeating()
    {
        var source = Skewed(1000);
        var sampler = new SourceBalancedSampler(source, [0.5, 0.5], batchSize: 100, seed: 3);
        var buf = new int[100];
        var firstAds = new List<int>();
        for (int b = 0; b < 2; b++)
        {
            sampler.NextBatch(buf);
            firstAds.AddRange(buf.Where(r => source[r] == 1));
        }
        // 100 ad rows exist; the first 100 drawn are all of them, once each.
        Assert.Equal(100, firstAds.Count);
        Assert.Equal(100, firstAds.Distinct().Count());
        Assert.Equal(10, sampler.BatchesPerEpoch);
    }

    [Fact]
    public void Samplers_are_deterministic_by_seed()
    {
        var source = Skewed(5000);
        static List<int[]> Take(IBatchSampler s) => s.Epoch().ToList();
        var a = Take(new SourceBalancedSampler(source, [0.5, 0.5], 64, seed: 11));
        var b = Take(new SourceBalancedSampler(source, [0.5, 0.5], 64, seed: 11));
        var c = Take(new SourceBalancedSampler(source, [0.5, 0.5], 64, seed: 12));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Take(new NaturalSampler(5000, 64, 5)), Take(new NaturalSampler(5000, 64, 5)));
        Assert.NotEqual(Take(new NaturalSampler(5000, 64, 5)), Take(new NaturalSampler(5000, 64, 6)));
    }

    [Fact]
    public void Natural_sampler_visits_every_row_once_per_epoch_with_a_short_last_batch()
    {
        var sampler = new NaturalSampler(1000, 64, seed: 2);
        Assert.Equal(16, sampler.BatchesPerEpoch);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var batches = sampler.Epoch().ToList();
            Assert.Equal(16, batches.Count);
            Assert.Equal(1000 - 15 * 64, batches[^1].Length);
            Assert.Equal(Enumerable.Range(0, 1000), batches.SelectMany(x => x).Order());
        }
    }

    [Fact]
    public void A_source_with_a_share_but_no_rows_is_bad_input()
    {
        var source = new int[100];
        Expect.Bad(() => _ = new SourceBalancedSampler(source, [0.5, 0.5], 10, 1, ["promotion", "ad"]), "source 'ad'", "no rows");
    }

    [Fact]
    public void Downsampler_keeps_the_configured_rate_and_records_it()
    {
        var source = Skewed(10_000);
        var result = Downsampler.Apply(source, ["promotion", "ad"], null, [new DownsampleRule("promotion", null, 0.25)], seed: 4);
        var rate = Assert.Single(result.Rates);
        Assert.Equal(9000, rate.RowsBefore);
        Assert.Equal(2250, rate.RowsKept);
        Assert.Equal(0.25, rate.RealisedRate);
        Assert.Equal(2250 + 1000, result.Rows.Length);
        Assert.Equal(1000, result.Rows.Count(r => source[r] == 1));
        Assert.True(result.Rows.Zip(result.Rows.Skip(1)).All(p => p.First < p.Second));
        for (int i = 0; i < result.Rows.Length; i++)
            Assert.Equal(source[result.Rows[i]] == 0 ? 0.25f : 1f, result.KeepRate[i]);
    }

    [Fact]
    public void Downsampler_by_modality_touches_only_that_modality()
    {
        var source = Skewed(10_000);
        var modality = Enumerable.Range(0, 10_000).Select(i => i % 2 == 0 ? "audio" : "video").ToArray();
        var rules = new[] { new DownsampleRule("ad", "video", 0.5) };
        var result = Downsampler.Apply(source, ["promotion", "ad"], modality, rules, seed: 9);
        Assert.Equal(1000, result.Rates[0].RowsBefore);
        Assert.Equal(500, result.Rows.Count(r => source[r] == 1 && modality[r] == "video"));
        Assert.Equal(9000, result.Rows.Count(r => source[r] == 0));
        Assert.Equal(result.Rows, Downsampler.Apply(source, ["promotion", "ad"], modality, rules, seed: 9).Rows);
        Assert.NotEqual(result.Rows, Downsampler.Apply(source, ["promotion", "ad"], modality, rules, seed: 10).Rows);
    }

    [Fact]
    public void Downsampling_an_encoded_split_keeps_rows_aligned()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var result = Downsampler.Apply(ds.Train.Source, ["promotion", "ad"], ds.Train.AnalysisText["modality"], [new DownsampleRule("promotion", "audio", 0.5)], seed: 1);
        var kept = ds.Train.Subset(result.Rows);
        Assert.Equal(result.Rows.Length, kept.Count);
        Assert.Equal(result.Rows.Select(r => ds.Train.Keys["impression_id"][r]), kept.Keys["impression_id"]);
        Assert.Equal(result.Rows.Select(r => ds.Train.Ids["user_id"][r]), kept.Ids["user_id"]);
    }
}
