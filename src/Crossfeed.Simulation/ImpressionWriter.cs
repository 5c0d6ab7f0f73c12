using ParquetSharp;

namespace Crossfeed.Simulation;

/// <summary>Writes impressions.parquet (the columns of docs/simulator.md, "impressions.parquet columns"; content_type only in the camoe scenario).</summary>
internal static class ImpressionWriter
{
    public const string FileName = "impressions.parquet";
    public const int RowGroupRows = 250_000;

    public static void Write(string path, World world, ImpressionLog log, CancellationToken ct)
    {
        var t = Describe(world, log);
        t.Write(path, log.Count, RowGroupRows, ct);
    }

    private static ParquetTableWriter Describe(World world, ImpressionLog log)
    {
        var c = world.Config;
        var co = world.Coefficients;
        var slots = co.Slots;
        var users = world.UsersTable;
        var shows = world.ShowsTable;
        var ads = world.Ads;
        int days = c.Days;
        var sources = Catalog.SourceNames;
        var modalities = Catalog.ModalityNames;
        var dayOfWeek = Enumerable.Range(0, days).Select(d => Simulator.DayOfWeek(c, d)).ToArray();

        var t = new ParquetTableWriter();
        t.Add("impression_id", i => (long)i, dictionary: false);
        t.Add("ts", i => DateTime.UnixEpoch.AddTicks(log.TsMicros[i] * 10), LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Micros), dictionary: false);
        t.Add("day", i => (int)log.Day[i]);
        // Slot attributes as codes into small vocabularies, one lookup per row.
        var surfaces = slots.Select(x => x.Surface).Distinct().ToArray();
        var layouts = slots.Select(x => x.Layout).Distinct().ToArray();
        var contentTypes = slots.Select(x => x.ContentType).Distinct().ToArray();
        var slotNames = slots.Select(x => x.Name).ToArray();
        var slotSource = slots.Select(x => (int)x.Source).ToArray();
        var slotSurface = slots.Select(x => Array.IndexOf(surfaces, x.Surface)).ToArray();
        var slotModality = slots.Select(x => (int)x.Modality).ToArray();
        var slotLayout = slots.Select(x => Array.IndexOf(layouts, x.Layout)).ToArray();
        var slotContent = slots.Select(x => Array.IndexOf(contentTypes, x.ContentType)).ToArray();
        t.AddStrings("source", i => slotSource[log.Slot[i]], sources);
        t.AddStrings("surface", i => slotSurface[log.Slot[i]], surfaces);
        t.AddStrings("slot", i => log.Slot[i], slotNames);
        t.AddStrings("modality", i => slotModality[log.Slot[i]], modalities);
        t.AddStrings("layout", i => slotLayout[log.Slot[i]], layouts);
        if (c.Scenario == Scenario.Camoe) t.AddStrings("content_type", i => slotContent[log.Slot[i]], contentTypes);

        t.Add("user_id", i => log.User[i]);
        t.AddStrings("country", i => users.Country[log.User[i]], co.Countries);
        t.AddStrings("age_bucket", i => users.Age[log.User[i]], co.AgeBuckets);
        t.AddStrings("device", i => users.Device[log.User[i]], co.Devices);
        t.AddLists("history_shows", i => users.History[log.User[i]]);
        t.Add("followed_count", i => users.Followed[log.User[i]]);
        t.Add("listening_minutes_30d", i => users.Minutes[log.User[i]]);

        t.Add("show_id", i => log.Show[i]);
        t.Add("episode_id", i => log.Episode[i]);
        t.AddStrings("genre", i => shows.Genre[log.Show[i]], co.Genres);
        t.AddStringLists("topics", i => shows.Topics[log.Show[i]], co.Topics);
        t.AddLists("show_embedding", i => shows.Embedding[log.Show[i]]);
        t.Add("show_age_days", i => log.Day[i] - shows.LaunchDay[log.Show[i]]);

        t.Add("hour", i => (int)log.Hour[i]);
        t.Add("day_of_week", i => dayOfWeek[log.Day[i]]);
        t.AddStrings("session_state", i => log.Session[i], co.SessionStates);
        t.Add("listening_show_id", i => log.Listening[i] < 0 ? (int?)null : log.Listening[i]);

        t.Add("campaign_id", i => log.Creative[i] < 0 ? (int?)null : ads.CreativeCampaign[log.Creative[i]]);
        t.Add("creative_id", i => log.Creative[i] < 0 ? (int?)null : log.Creative[i]);
        var formats = ads.CreativeFormat.Distinct().Order(StringComparer.Ordinal).ToArray();
        var formatCode = ads.CreativeFormat.Select(f => Array.IndexOf(formats, f)).ToArray();
        t.AddStrings("ad_format", i => log.Creative[i] < 0 ? -1 : formatCode[log.Creative[i]], formats);
        t.Add("bid_cpm", i => log.Creative[i] < 0 ? (float?)null : ads.CreativeBidCpm[log.Creative[i]]);
        t.Add("campaign_exposures", i => log.Creative[i] < 0 ? (int?)null : log.Exposures[i]);

        for (int k = 0; k < 4; k++)
        {
            var labels = log.Label[k];
            t.Add(Catalog.OutcomeNames[k], i => labels[i] < 0 ? (int?)null : labels[i]);
        }

        t.Add("show_tier", i => (int)shows.Tier[log.Show[i] * days + log.Day[i]]);
        t.Add("show_streams_30d", i => shows.Streams30[log.Show[i] * days + log.Day[i]]);
        t.Add("cost", i => log.Cost[i], dictionary: false);
        for (int k = 0; k < 4; k++)
        {
            var labels = log.Label[k];
            var p = log.P[k];
            t.Add("p_" + Catalog.OutcomeNames[k], i => labels[i] < 0 ? (double?)null : p[i], dictionary: false);
        }
        return t;
    }
}
