namespace Crossfeed.Simulation.Tests;

/// <summary>The ad-only mechanisms: fatigue, listening context, receptiveness, and their observable columns in the log.</summary>
[Collection(WorldsCollection.Name)]
public sealed class AdMechanismTests(Worlds worlds)
{
    private static readonly WorldConfig Small = WorldConfig.ForScenario(Scenario.Podcast, 20_000, seed: 3);

    [Fact]
    public void Fatigue_lowers_ad_stream_and_click_logits_by_the_weight_times_log_of_one_plus_exposures()
    {
        var world = WorldBuilder.Build(Small with { FatigueWeight = 0.3 });
        var cr = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).First(c => c.Modality == Modality.Audio);
        int slot = world.SlotIndex("audio_preroll");
        var fresh = Offsets(world, 0, cr.ShowId, slot, cr.CreativeId, listening: -1, exposures: 0);
        var third = Offsets(world, 0, cr.ShowId, slot, cr.CreativeId, listening: -1, exposures: 3);
        // 0.3 x ln(4) = 0.415888...
        Assert.Equal(-0.4158883, third[0] - fresh[0], 6);
        Assert.Equal(-0.4158883, third[1] - fresh[1], 6);
        Assert.Equal(fresh[2], third[2]);
        Assert.Equal(fresh[3], third[3]);

        var off = WorldBuilder.Build(Small with { FatigueWeight = 0 });
        Assert.Equal(Offsets(off, 0, cr.ShowId, slot, cr.CreativeId, -1, 0), Offsets(off, 0, cr.ShowId, slot, cr.CreativeId, -1, 3));
        Assert.Throws<ArgumentException>(() => world.Probabilities(new Exposure(0, cr.ShowId, world.SlotIndex("home_shelf"), 10, 20, 0, CampaignExposures: 2)));
    }

    [Fact]
    public void The_listened_show_moves_in_stream_ads_only()
    {
        var world = WorldBuilder.Build(Small with { ListeningContextWeight = 0.6 });
        var audio = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).First(c => c.Modality == Modality.Audio);
        var display = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).First(c => c.Modality == Modality.Display);

        // Listening to the advertised show itself: cosine 1, so the stream logit rises by the weight (ad stream task weight 1).
        int preroll = world.SlotIndex("audio_preroll");
        double withSelf = Offsets(world, 0, audio.ShowId, preroll, audio.CreativeId, audio.ShowId, 0)[0];
        double without = Offsets(world, 0, audio.ShowId, preroll, audio.CreativeId, -1, 0)[0];
        Assert.Equal(0.6, withSelf - without, 9);

        // A banner on the home surface and a promotion on the now-playing surface do not read it.
        int banner = world.SlotIndex("display_home_banner");
        Assert.Equal(Offsets(world, 0, display.ShowId, banner, display.CreativeId, -1, 0), Offsets(world, 0, display.ShowId, banner, display.CreativeId, display.ShowId, 0));
        int promo = world.SlotIndex("now_playing_promo");
        Assert.Equal(Offsets(world, 0, audio.ShowId, promo, -1, -1, 0), Offsets(world, 0, audio.ShowId, promo, -1, audio.ShowId, 0));
    }

    [Fact]
    public void Ad_receptiveness_is_partly_carried_by_age_and_device()
    {
        var users = ParquetTable.Read(Path.Combine(worlds.PodcastDir, "users.parquet"));
        var r = users.Get<float>("ad_receptiveness");
        var age = users.Get<string>("age_bucket");
        var device = users.Get<string>("device");
        double mean = r.Average(x => (double)x);
        double total = r.Average(x => (x - mean) * (x - mean));
        // The own part has sd AdReceptivenessSd: the total variance exceeds its square, and the cell means explain the rest.
        double own = worlds.PodcastConfig.AdReceptivenessSd;
        var cellMean = Enumerable.Range(0, r.Length).GroupBy(i => (age[i], device[i])).ToDictionary(g => g.Key, g => g.Average(i => (double)r[i]));
        double within = Enumerable.Range(0, r.Length).Average(i => Math.Pow(r[i] - cellMean[(age[i], device[i])], 2));
        Assert.InRange(within, own * own * 0.93, own * own * 1.07);
        Assert.True(total > within * 1.05, $"age and device explain part of receptiveness: total {total:0.000}, within cells {within:0.000}");
    }

    [Fact]
    public void The_log_counts_earlier_exposures_to_the_campaign_and_names_the_listened_show_on_now_playing_only()
    {
        var rows = worlds.PodcastRows;
        var user = rows.Get<int>("user_id");
        var campaign = rows.Get<int?>("campaign_id");
        var exposures = rows.Get<int?>("campaign_exposures");
        var surface = rows.Get<string>("surface");
        var listening = rows.Get<int?>("listening_show_id");
        var ts = rows.Get<DateTime>("ts");
        var impression = rows.Get<long>("impression_id");

        // Independent recount: order each (user, campaign)'s rows by time and number them.
        var expected = new Dictionary<long, int>();
        foreach (var g in Enumerable.Range(0, rows.Rows).Where(i => campaign[i] is not null).GroupBy(i => (user[i], campaign[i])))
        {
            int n = 0;
            foreach (var i in g.OrderBy(i => ts[i]).ThenBy(i => impression[i])) expected[impression[i]] = n++;
        }
        int repeats = 0;
        for (int i = 0; i < rows.Rows; i++)
        {
            Assert.Equal(surface[i] == "now_playing", listening[i] is not null);
            if (campaign[i] is null)
            {
                Assert.Null(exposures[i]);
                continue;
            }
            Assert.Equal(expected[impression[i]], exposures[i]);
            if (exposures[i] > 0) repeats++;
        }
        Assert.True(repeats > 100, $"{repeats} repeated exposures");
    }

    [Fact]
    public void Switching_the_ad_mechanisms_off_draws_the_same_rows_and_changes_ad_probabilities_only()
    {
        var on = WorldConfig.ForScenario(Scenario.Podcast, 20_000, seed: 4);
        var off = on with { FatigueWeight = 0, ListeningContextWeight = 0, AdReceptivenessSd = 0, AdReceptivenessDemographicSd = 0, CreativeStreamEffectSd = 0.15 };
        var a = ParquetTable.Read(Path.Combine(worlds.Simulate(on).Dir, "impressions.parquet"));
        var b = ParquetTable.Read(Path.Combine(worlds.Simulate(off).Dir, "impressions.parquet"));
        foreach (var column in new[] { "user_id", "show_id", "slot", "hour", "listening_show_id", "campaign_exposures" })
            Assert.Equal(a.Columns[column], b.Columns[column]);
        Assert.Equal(a.Get<int?>("creative_id"), b.Get<int?>("creative_id"));
        var source = a.Get<string>("source");
        var pa = a.Get<double?>("p_stream");
        var pb = b.Get<double?>("p_stream");
        int adsChanged = 0;
        for (int i = 0; i < a.Rows; i++)
        {
            if (source[i] == "promotion") Assert.Equal(pa[i], pb[i]);
            else if (pa[i] != pb[i]) adsChanged++;
        }
        Assert.True(adsChanged > a.Rows / 2, $"{adsChanged} ad probabilities changed");
    }

    private static double[] Offsets(World w, int user, int show, int slot, int creative, int listening, int exposures)
    {
        var z = new double[4];
        w.Offsets(user, show, slot, hour: 8, session: 1, creative, listening, exposures, z);
        return z;
    }
}
