namespace Crossfeed.Simulation.Tests;

/// <summary>Scale-free properties of a small podcast world (80k impressions).</summary>
[Collection(WorldsCollection.Name)]
public sealed class WorldShapeTests(Worlds worlds)
{
    [Fact]
    public void Ads_outnumber_promotions_about_three_to_one()
    {
        Assert.InRange(worlds.Podcast.AdsPerPromotion, 2.6, 3.4);
        var source = worlds.PodcastRows.Get<string>("source");
        Assert.Equal(worlds.Podcast.BySource["ad"], source.LongCount(s => s == "ad"));
        Assert.All(source, s => Assert.Contains(s, new[] { "promotion", "ad" }));
    }

    [Fact]
    public void Ad_stream_rate_is_well_below_promotion_stream_rate()
    {
        var promo = worlds.Podcast.Rate("stream", "promotion")!;
        var ad = worlds.Podcast.Rate("stream", "ad")!;
        Assert.InRange(promo.Rate, 0.08, 0.20);
        Assert.InRange(ad.Rate, 0.005, 0.02);
        Assert.True(ad.Rate < promo.Rate / 4, $"ad stream rate {ad.Rate} vs promotion {promo.Rate}");
    }

    [Fact]
    public void At_least_a_fifth_of_shows_launch_during_the_window()
    {
        Assert.True(worlds.Podcast.NewShowShare >= 0.2, $"new show share {worlds.Podcast.NewShowShare}");
        var shows = ParquetTable.Read(Path.Combine(worlds.PodcastDir, "shows.parquet"));
        var launch = shows.Get<int>("launch_day");
        Assert.Equal(worlds.Podcast.NewShowShare, launch.Count(d => d >= 0) / (double)launch.Length, 10);
        // Cold start is visible in the log: new shows appear with a young age.
        var age = worlds.PodcastRows.Get<int>("show_age_days");
        Assert.Contains(0, age);
        Assert.All(age, a => Assert.True(a >= 0));
    }

    [Fact]
    public void All_tiers_0_to_7_appear()
    {
        var tiers = worlds.PodcastRows.Get<int>("show_tier");
        Assert.Equal(Enumerable.Range(0, 8), tiers.Distinct().Order());
        Assert.All(worlds.Podcast.ByTier, n => Assert.True(n > 0));
        // The tier is a function of the 30-day platform streams.
        var streams = worlds.PodcastRows.Get<long>("show_streams_30d");
        for (int i = 0; i < tiers.Length; i += 7)
            Assert.Equal(WorldBuilder.TierOf(streams[i], WorldConfig.DefaultTierThresholds), tiers[i]);
    }

    [Fact]
    public void Tier_thresholds_put_less_streamed_shows_in_tiers_3_and_below()
    {
        var t = WorldConfig.DefaultTierThresholds;
        Assert.Equal(0, WorldBuilder.TierOf(500_000, t));
        Assert.Equal(2, WorldBuilder.TierOf(5_000, t));
        Assert.Equal(3, WorldBuilder.TierOf(4_999, t));
        Assert.Equal(5, WorldBuilder.TierOf(50, t));
        Assert.Equal(6, WorldBuilder.TierOf(5, t));
        Assert.Equal(7, WorldBuilder.TierOf(0, t));
    }

    [Fact]
    public void Less_streamed_shows_get_at_least_30_percent_of_test_ad_impressions()
    {
        var rows = worlds.PodcastRows;
        var source = rows.Get<string>("source");
        var day = rows.Get<int>("day");
        var streams = rows.Get<long>("show_streams_30d");
        int test = worlds.PodcastConfig.ValEndDay;
        long ads = 0, less = 0;
        for (int i = 0; i < rows.Rows; i++)
        {
            if (source[i] != "ad" || day[i] < test) continue;
            ads++;
            if (streams[i] < 5_000) less++;
        }
        Assert.True(ads > 0);
        Assert.Equal(worlds.Podcast.LessStreamedAdShareTest, (double)less / ads, 10);
        Assert.True(worlds.Podcast.LessStreamedAdShareTest >= 0.3, $"share {worlds.Podcast.LessStreamedAdShareTest}");
    }

    [Fact]
    public void Audio_ads_far_outnumber_video_ads()
    {
        var rows = worlds.PodcastRows;
        var source = rows.Get<string>("source");
        var modality = rows.Get<string>("modality");
        long audio = 0, video = 0;
        for (int i = 0; i < rows.Rows; i++)
        {
            if (source[i] != "ad") continue;
            if (modality[i] == "audio") audio++;
            else if (modality[i] == "video") video++;
        }
        Assert.True(video > 0);
        Assert.True(audio > 6 * video, $"audio {audio}, video {video}");
    }

    [Fact]
    public void Rows_are_sorted_by_ts_and_carry_consistent_time_columns()
    {
        var rows = worlds.PodcastRows;
        var ts = rows.Get<DateTime>("ts");
        var day = rows.Get<int>("day");
        var hour = rows.Get<int>("hour");
        var dow = rows.Get<int>("day_of_week");
        var ids = rows.Get<long>("impression_id");
        var start = worlds.PodcastConfig.StartDate;
        for (int i = 0; i < rows.Rows; i++)
        {
            if (i > 0) Assert.True(ts[i] >= ts[i - 1], $"row {i} is earlier than row {i - 1}");
            Assert.Equal(i, ids[i]);
            Assert.Equal(DateTimeKind.Utc, ts[i].Kind);
            Assert.Equal(day[i], (int)(ts[i] - start).TotalDays);
            Assert.Equal(ts[i].Hour, hour[i]);
            Assert.Equal(((int)ts[i].DayOfWeek + 6) % 7, dow[i]);
        }
        Assert.InRange(day.Min(), 0, 0);
        Assert.InRange(day.Max(), worlds.PodcastConfig.Days - 1, worlds.PodcastConfig.Days - 1);
    }

    [Fact]
    public void Probabilities_lie_in_0_1_and_label_rates_match_the_mean_probability()
    {
        var rows = worlds.PodcastRows;
        var source = rows.Get<string>("source");
        foreach (var label in new[] { "stream", "click", "like", "follow" })
        {
            var y = rows.Get<int?>(label);
            var p = rows.Get<double?>("p_" + label);
            foreach (var src in new[] { "promotion", "ad" })
            {
                long n = 0, pos = 0;
                double sum = 0;
                for (int i = 0; i < rows.Rows; i++)
                {
                    if (source[i] != src || y[i] is null) continue;
                    double pi = p[i]!.Value;
                    Assert.InRange(pi, 0.0, 1.0);
                    n++;
                    pos += y[i]!.Value;
                    sum += pi;
                }
                if (n == 0) continue;
                double mean = sum / n, rate = (double)pos / n;
                double tolerance = 4 * Math.Sqrt(mean * (1 - mean) / n) + 1e-4;
                Assert.True(Math.Abs(rate - mean) <= tolerance, $"{label}/{src}: rate {rate:0.0000}, mean p {mean:0.0000}, n {n}");
                Assert.Equal(rate, worlds.Podcast.Rate(label, src)!.Rate, 12);
            }
        }
    }

    [Fact]
    public void Labels_are_null_exactly_where_documented()
    {
        var rows = worlds.PodcastRows;
        var source = rows.Get<string>("source");
        var day = rows.Get<int>("day");
        int followFrom = worlds.PodcastConfig.EffectiveAdFollowFromDay;
        Assert.Equal(35, followFrom);
        for (int i = 0; i < rows.Rows; i++)
        {
            bool ad = source[i] == "ad";
            foreach (var label in new[] { "stream", "click", "like", "follow" })
            {
                bool expectNull = ad && (label == "like" || (label == "follow" && day[i] < followFrom));
                var y = rows.Get<int?>(label)[i];
                Assert.True(expectNull == (y is null), $"row {i}: {label} on {source[i]} day {day[i]} is {(y is null ? "null" : "set")}");
                Assert.True((y is null) == (rows.Get<double?>("p_" + label)[i] is null), $"row {i}: p_{label} null-ness differs from {label}");
                if (y is not null) Assert.InRange(y.Value, 0, 1);
            }
            Assert.Equal(ad, rows.Get<int?>("campaign_id")[i] is not null);
            Assert.Equal(ad, rows.Get<int?>("creative_id")[i] is not null);
            Assert.Equal(ad, rows.Get<string?>("ad_format")[i] is not null);
            Assert.Equal(ad, rows.Get<float?>("bid_cpm")[i] is not null);
            double cost = rows.Get<double>("cost")[i];
            if (ad) Assert.True(cost > 0); else Assert.Equal(0.0, cost);
        }
    }

    [Fact]
    public void List_columns_have_the_documented_shapes()
    {
        var rows = worlds.PodcastRows;
        var emb = rows.Get<float[]>("show_embedding");
        var topics = rows.Get<string[]>("topics");
        var history = rows.Get<int[]>("history_shows");
        var followed = rows.Get<int>("followed_count");
        for (int i = 0; i < rows.Rows; i++)
        {
            Assert.Equal(16, emb[i].Length);
            Assert.InRange(topics[i].Length, 2, 4);
            Assert.InRange(history[i].Length, 0, worlds.PodcastConfig.HistoryMax);
            Assert.InRange(followed[i], 0, history[i].Length);
        }
    }

    [Fact]
    public void Dataset_yaml_lists_every_column_of_the_parquet()
    {
        var path = Path.Combine(worlds.PodcastDir, "dataset.yaml");
        var ds = Crossfeed.Core.DatasetConfigLoader.Load(path);
        var referenced = new HashSet<string>(ds.Keys) { ds.Source.Column };
        if (ds.TimeColumn is not null) referenced.Add(ds.TimeColumn);
        if (ds.Split.Column is not null) referenced.Add(ds.Split.Column);
        foreach (var f in ds.Features) referenced.Add(f.Column);
        foreach (var l in ds.Labels)
        {
            referenced.Add(l.Column);
            if (l.Truth is not null) referenced.Add(l.Truth);
        }
        foreach (var c in ds.Analysis.Columns()) referenced.Add(c);
        var columns = worlds.PodcastRows.Names;
        Assert.Empty(columns.Except(referenced));
        Assert.Empty(referenced.Except(columns));
        Assert.Equal(Path.Combine(worlds.PodcastDir, "impressions.parquet"), ds.Input.Path);
        Assert.Equal(["promotion", "ad"], ds.Source.Values);
        Assert.Equal(["promotion"], ds.Label("like")!.Sources);
        var split = ds.Split.Ranges!;
        Assert.Equal(new Crossfeed.Core.SplitRange(0, 42), split[Crossfeed.Core.SplitName.Train]);
        Assert.Equal(new Crossfeed.Core.SplitRange(42, 49), split[Crossfeed.Core.SplitName.Val]);
        Assert.Equal(new Crossfeed.Core.SplitRange(49, 56), split[Crossfeed.Core.SplitName.Test]);
        Assert.Equal("show_id", ds.Feature("history_shows")!.ShareTable);
    }

    [Fact]
    public void Dataset_yaml_splits_scale_with_the_days()
    {
        var yaml = DatasetYaml.Build(new WorldConfig { Days = 16 });
        var ds = Crossfeed.Core.DatasetConfigLoader.Parse(yaml, "dataset.yaml", Path.GetTempPath());
        var split = ds.Split.Ranges!;
        Assert.Equal(new Crossfeed.Core.SplitRange(0, 12), split[Crossfeed.Core.SplitName.Train]);
        Assert.Equal(new Crossfeed.Core.SplitRange(14, 16), split[Crossfeed.Core.SplitName.Test]);
    }

    [Fact]
    public void Dataset_yaml_drops_ad_follow_when_the_new_objective_never_switches_on()
    {
        var never = Crossfeed.Core.DatasetConfigLoader.Parse(DatasetYaml.Build(new WorldConfig { AdFollowFromDay = 56 }), "dataset.yaml", Path.GetTempPath());
        Assert.Equal(["promotion"], never.Label("follow")!.Sources);
        var late = Crossfeed.Core.DatasetConfigLoader.Parse(DatasetYaml.Build(new WorldConfig()), "dataset.yaml", Path.GetTempPath());
        Assert.Equal(["promotion", "ad"], late.Label("follow")!.Sources);
    }

    [Fact]
    public void Summary_oracle_ap_is_reported_per_label_and_source()
    {
        var s = worlds.Podcast;
        foreach (var label in new[] { "stream", "click", "like", "follow" })
            Assert.NotNull(s.Oracle(label, "all")?.Ap);
        Assert.Null(s.Oracle("like", "ad"));
        Assert.True(s.Oracle("stream", "promotion")!.Ap > s.Rate("stream", "promotion")!.Rate, "the truth must rank better than chance");
        Assert.Equal(8, s.ByTier.Count);
        Assert.Equal(s.Impressions, s.ByTier.Sum());
        Assert.Contains(s.ToLines(), l => l.Contains("oracle AP", StringComparison.Ordinal));
    }
}
