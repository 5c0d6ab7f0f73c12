namespace Crossfeed.Simulation.Tests;

/// <summary>The loaded world gives the logged probabilities, and the designed effects are measurable.</summary>
[Collection(WorldsCollection.Name)]
public sealed class WorldModelTests(Worlds worlds)
{
    [Fact]
    public void Loaded_world_gives_the_probabilities_the_labels_were_drawn_from()
    {
        var world = World.Load(worlds.PodcastDir);
        Assert.Equal(worlds.PodcastConfig.Seed, world.Config.Seed);
        Assert.Equal(worlds.PodcastConfig.Users, world.UserCount);
        var rows = worlds.PodcastRows;
        var user = rows.Get<int>("user_id");
        var show = rows.Get<int>("show_id");
        var slot = rows.Get<string>("slot");
        var day = rows.Get<int>("day");
        var hour = rows.Get<int>("hour");
        var session = rows.Get<string>("session_state");
        var creative = rows.Get<int?>("creative_id");
        var tier = rows.Get<int>("show_tier");
        var streams = rows.Get<long>("show_streams_30d");
        var listening = rows.Get<int?>("listening_show_id");
        var exposures = rows.Get<int?>("campaign_exposures");
        int compared = 0;
        for (int i = 0; i < rows.Rows; i += 13)
        {
            var e = new Exposure(user[i], show[i], world.SlotIndex(slot[i]), day[i], hour[i], world.SessionIndex(session[i]), creative[i] ?? -1,
                listening[i] ?? -1, exposures[i] ?? 0);
            var p = world.Probabilities(e);
            foreach (var o in Enum.GetValues<Outcome>())
            {
                var logged = rows.Get<double?>("p_" + o.ToString().ToLowerInvariant())[i];
                if (logged is null) continue;
                Assert.Equal(logged.Value, p[o]);
                compared++;
            }
            Assert.Equal(tier[i], world.Tier(show[i], day[i]));
            Assert.Equal(streams[i], world.Streams30d(show[i], day[i]));
            Assert.True(world.IsLive(show[i], day[i]));
        }
        Assert.True(compared > 10_000);
    }

    [Fact]
    public void Ad_exposures_need_the_creative_of_the_advertised_show()
    {
        var world = World.Load(worlds.PodcastDir);
        var cr = world.Creative(0);
        int slot = Enumerable.Range(0, world.Slots.Count).First(s => world.Slots[s].Source == Source.Ad && world.Slots[s].Modality == cr.Modality);
        var ok = world.Probabilities(new Exposure(0, cr.ShowId, slot, 10, 20, 1, cr.CreativeId));
        Assert.InRange(ok.Stream, 0, 1);
        int otherShow = (cr.ShowId + 1) % world.ShowCount;
        Assert.Throws<ArgumentException>(() => world.Probabilities(new Exposure(0, otherShow, slot, 10, 20, 1, cr.CreativeId)));
        Assert.Throws<ArgumentException>(() => world.Probabilities(new Exposure(0, cr.ShowId, world.SlotIndex("home_shelf"), 10, 20, 0, cr.CreativeId)));
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Probabilities(new Exposure(world.UserCount, 0, world.SlotIndex("home_shelf"), 10, 20, 0)));
    }

    [Fact]
    public void Creative_click_effects_raise_ad_clicks_but_not_streams()
    {
        var world = World.Load(worlds.PodcastDir);
        var creatives = ParquetTable.Read(Path.Combine(worlds.PodcastDir, "creatives.parquet"));
        var clickEffect = creatives.Get<double>("click_effect");
        var rows = worlds.PodcastRows;
        var creative = rows.Get<int?>("creative_id");
        var pClick = rows.Get<double?>("p_click");
        var pStream = rows.Get<double?>("p_stream");
        var fx = new List<double>();
        var click = new List<double>();
        var stream = new List<double>();
        for (int i = 0; i < rows.Rows; i++)
        {
            if (creative[i] is not { } c) continue;
            fx.Add(clickEffect[c]);
            click.Add(Logit(pClick[i]!.Value));
            stream.Add(Logit(pStream[i]!.Value));
        }
        Assert.True(Correlation(fx, click) > 0.4, $"corr(click effect, logit p_click) = {Correlation(fx, click):0.000}");
        Assert.True(Math.Abs(Correlation(fx, stream)) < 0.1, $"corr(click effect, logit p_stream) = {Correlation(fx, stream):0.000}");
        Assert.Equal(world.CreativeCount, clickEffect.Length);
    }

    [Fact]
    public void Show_embedding_carries_the_genre_signal_for_new_shows()
    {
        var shows = ParquetTable.Read(Path.Combine(worlds.PodcastDir, "shows.parquet"));
        var emb = shows.Get<float[]>("show_embedding");
        var genre = shows.Get<int>("genre_id");
        var launch = shows.Get<int>("launch_day");
        double same = 0, other = 0;
        long nSame = 0, nOther = 0;
        for (int a = 0; a < emb.Length; a++)
        {
            if (launch[a] < 0) continue;
            for (int b = 0; b < emb.Length; b += 3)
            {
                if (a == b) continue;
                double cos = Cosine(emb[a], emb[b]);
                if (genre[a] == genre[b]) { same += cos; nSame++; } else { other += cos; nOther++; }
            }
        }
        Assert.True(same / nSame > other / nOther + 0.2, $"mean cosine within genre {same / nSame:0.000}, across {other / nOther:0.000}");
    }

    [Fact]
    public void Shared_affinity_drives_streams_in_both_channels_and_ad_receptiveness_only_ads()
    {
        var world = World.Load(worlds.PodcastDir);
        var receptiveness = ParquetTable.Read(Path.Combine(worlds.PodcastDir, "users.parquet")).Get<float>("ad_receptiveness");
        int promoSlot = world.SlotIndex("home_shelf"), adSlot = world.SlotIndex("audio_preroll");
        var cr = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).First(c => c.Modality == Modality.Audio);
        var promo = new List<double>();
        var ad = new List<double>();
        var adLessReceptiveness = new List<double>();
        for (int u = 0; u < Math.Min(world.UserCount, 2000); u++)
        {
            promo.Add(Logit(world.Probabilities(new Exposure(u, cr.ShowId, promoSlot, 20, 20, 0)).Stream));
            ad.Add(Logit(world.Probabilities(new Exposure(u, cr.ShowId, adSlot, 20, 20, 1, cr.CreativeId)).Stream));
            adLessReceptiveness.Add(ad[^1] - receptiveness[u]);
        }
        // The users' receptiveness is the only user-level term the channels do not share.
        Assert.True(Correlation(promo, adLessReceptiveness) > 0.9, $"corr without receptiveness {Correlation(promo, adLessReceptiveness):0.000}");
        Assert.True(Correlation(promo, ad) < Correlation(promo, adLessReceptiveness) - 0.05, $"corr {Correlation(promo, ad):0.000}");
        Assert.True(ad.Average() < promo.Average() - 1, "ad streams are rarer than promotion streams");
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.Sqrt(aa * bb);
    }

    private static double Correlation(List<double> x, List<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
