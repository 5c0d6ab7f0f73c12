namespace Crossfeed.Simulation;

/// <summary>
/// The feature values an impression of the world carries, keyed by the impressions.parquet column names
/// (docs/simulator.md), for placements the log never made: what the A/B simulator hands a ranker. Values
/// have the log's types (int, long, float, string, arrays); a test compares them with logged rows.
/// </summary>
public static class ImpressionValues
{
    /// <summary>user_id, country, age_bucket, device, history_shows, followed_count, listening_minutes_30d.</summary>
    public static Dictionary<string, object?> User(World world, int userId)
    {
        ArgumentNullException.ThrowIfNull(world);
        var users = world.UsersTable;
        var co = world.Coefficients;
        _ = world.UserHistory(userId);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["user_id"] = userId,
            ["country"] = co.Countries[users.Country[userId]],
            ["age_bucket"] = co.AgeBuckets[users.Age[userId]],
            ["device"] = co.Devices[users.Device[userId]],
            ["history_shows"] = users.History[userId],
            ["followed_count"] = users.Followed[userId],
            ["listening_minutes_30d"] = users.Minutes[userId],
        };
    }

    /// <summary>The placement: source, surface, slot, modality, layout (content_type in the camoe scenario), hour, day_of_week, session_state, listening_show_id.</summary>
    public static Dictionary<string, object?> Context(World world, int slot, int day, int hour, int session, int listeningShowId)
    {
        ArgumentNullException.ThrowIfNull(world);
        var s = world.Coefficients.Slots[slot];
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["source"] = Catalog.SourceNames[(int)s.Source],
            ["surface"] = s.Surface,
            ["slot"] = s.Name,
            ["modality"] = Catalog.ModalityNames[(int)s.Modality],
            ["layout"] = s.Layout,
            ["hour"] = hour,
            ["day_of_week"] = Simulator.DayOfWeek(world.Config, day),
            ["session_state"] = world.Coefficients.SessionStates[session],
            ["listening_show_id"] = listeningShowId < 0 ? null : listeningShowId,
        };
        if (world.Config.Scenario == Scenario.Camoe) values["content_type"] = s.ContentType;
        return values;
    }

    /// <summary>show_id, genre, topics, show_embedding, show_age_days on that day.</summary>
    public static Dictionary<string, object?> Show(World world, int showId, int day)
    {
        ArgumentNullException.ThrowIfNull(world);
        var shows = world.ShowsTable;
        var co = world.Coefficients;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["show_id"] = showId,
            ["genre"] = co.Genres[shows.Genre[showId]],
            ["topics"] = shows.Topics[showId].Select(t => co.Topics[t]).ToArray(),
            ["show_embedding"] = shows.Embedding[showId],
            ["show_age_days"] = day - world.ShowLaunchDay(showId),
        };
    }

    /// <summary>The show's values plus campaign_id, creative_id, ad_format, bid_cpm and campaign_exposures (the user's earlier impressions of the campaign).</summary>
    public static Dictionary<string, object?> Ad(World world, int creativeId, int day, int campaignExposures)
    {
        var cr = world.Creative(creativeId);
        var values = Show(world, cr.ShowId, day);
        values["campaign_id"] = cr.CampaignId;
        values["creative_id"] = creativeId;
        values["ad_format"] = cr.AdFormat;
        values["bid_cpm"] = cr.BidCpm;
        values["campaign_exposures"] = campaignExposures;
        return values;
    }
}
