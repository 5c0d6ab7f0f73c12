namespace Crossfeed.Simulation;

/// <summary>Fixed vocabularies and tables of the simulated world.</summary>
internal static class Catalog
{
    public static readonly string[] SourceNames = ["promotion", "ad"];
    public static readonly string[] ModalityNames = ["audio", "video", "display"];
    public static readonly string[] OutcomeNames = ["stream", "click", "like", "follow"];

    public static readonly string[] Countries = ["US", "GB", "DE", "SE", "BR", "MX", "FR", "CA", "AU", "IN"];
    public static readonly double[] CountryWeights = [0.33, 0.10, 0.08, 0.05, 0.10, 0.07, 0.06, 0.05, 0.04, 0.12];
    public static readonly string[] AgeBuckets = ["18-24", "25-34", "35-44", "45-54", "55+"];
    public static readonly double[] AgeWeights = [0.22, 0.30, 0.22, 0.14, 0.12];
    public static readonly string[] Devices = ["ios", "android", "desktop", "web"];
    public static readonly double[] DeviceWeights = [0.38, 0.45, 0.10, 0.07];
    public static readonly string[] SessionStates = ["browsing", "listening", "idle", "searching"];

    public static readonly string[] GenreNames =
    [
        "true_crime", "comedy", "news", "sports", "business", "technology", "health", "education",
        "society_culture", "history", "science", "music", "arts", "kids_family", "religion", "fiction",
        "tv_film", "leisure", "politics", "language_learning",
    ];

    public static readonly string[] SharedTopicNames =
    [
        "interviews", "storytelling", "daily", "weekly_roundup", "deep_dive", "beginner", "expert_panel",
        "listener_questions", "live", "celebrity", "local", "global",
    ];

    public static readonly string[][] AdFormats =
    [
        ["audio_15s", "audio_30s"],
        ["video_15s", "video_30s"],
        ["display_static", "display_animated"],
    ];

    /// <summary>Traffic by UTC hour (relative weights): commute peaks and an evening high.</summary>
    public static readonly double[] HourProfile =
    [
        1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.2, 2.6, 2.0, 1.7, 1.7,
        1.9, 1.8, 1.6, 1.7, 2.0, 2.5, 2.6, 2.4, 2.3, 2.1, 1.8, 1.4,
    ];

    public static string Genre(int g) => g < GenreNames.Length ? GenreNames[g] : $"genre_{g + 1}";

    /// <summary>Topic names: each genre's own pool first, then the shared pool.</summary>
    public static string[] TopicNames(WorldConfig c)
    {
        var names = new string[c.Genres * c.TopicsPerGenre + c.SharedTopics];
        int k = 0;
        for (int g = 0; g < c.Genres; g++)
            for (int t = 0; t < c.TopicsPerGenre; t++)
                names[k++] = $"{Genre(g)}_{t + 1}";
        for (int t = 0; t < c.SharedTopics; t++)
            names[k++] = t < SharedTopicNames.Length ? SharedTopicNames[t] : $"shared_{t + 1}";
        return names;
    }

    /// <summary>
    /// The slots of a scenario without their random effects: (name, source, surface, layout, modality,
    /// content type, weight within its source and modality, attention, session shares).
    /// Session shares are over <see cref="SessionStates"/>: browsing, listening, idle, searching.
    /// </summary>
    public static IEnumerable<(string Name, Source Source, string Surface, string Layout, Modality Modality, string ContentType, double Weight, double Attention, double[] Sessions)> SlotTemplates(Scenario scenario)
    {
        // Promotions: the same surfaces in both scenarios; weights are shares of promotion traffic.
        yield return ("home_shelf", Source.Promotion, "home", "shelf", Modality.Display, "podcast", 0.40, 1.0, [0.7, 0, 0.3, 0]);
        yield return ("browse_shelf", Source.Promotion, "browse", "shelf", Modality.Display, "podcast", 0.15, 1.0, [0.8, 0, 0, 0.2]);
        yield return ("home_banner", Source.Promotion, "home", "banner", Modality.Display, "podcast", 0.12, 0.9, [0.6, 0, 0.4, 0]);
        yield return ("search_card", Source.Promotion, "search", "card", Modality.Display, "podcast", 0.10, 1.1, [0.1, 0, 0, 0.9]);
        yield return ("now_playing_promo", Source.Promotion, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.15, 1.0, [0, 0.9, 0.1, 0]);
        yield return ("home_video_canvas", Source.Promotion, "home", "video_card", Modality.Video, "podcast", 0.08, 1.0, [0.7, 0, 0.3, 0]);

        // Ads: weights are shares within the slot's modality (the modality mix is a knob).
        if (scenario == Scenario.Podcast)
        {
            yield return ("audio_preroll", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.55, 1.0, [0, 0.85, 0.15, 0]);
            yield return ("audio_midroll", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.45, 1.1, [0, 0.95, 0.05, 0]);
            yield return ("video_feed", Source.Ad, "home", "video_card", Modality.Video, "podcast", 0.6, 1.0, [0.7, 0, 0.3, 0]);
            yield return ("video_preroll", Source.Ad, "now_playing", "video_player", Modality.Video, "podcast", 0.4, 1.1, [0, 0.8, 0.2, 0]);
            yield return ("display_home_banner", Source.Ad, "home", "banner", Modality.Display, "podcast", 0.5, 1.0, [0.6, 0, 0.4, 0]);
            yield return ("display_now_playing", Source.Ad, "now_playing", "companion", Modality.Display, "podcast", 0.5, 0.8, [0, 0.9, 0.1, 0]);
        }
        else
        {
            // CAMoE: seven slots over audio/video and music/podcast content; music breaks get less attention.
            yield return ("audio_podcast_preroll", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.25, 1.0, [0, 0.85, 0.15, 0]);
            yield return ("audio_podcast_midroll", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.25, 1.15, [0, 0.95, 0.05, 0]);
            yield return ("audio_podcast_postroll", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "podcast", 0.10, 0.7, [0, 0.7, 0.3, 0]);
            yield return ("audio_music_break", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "music", 0.30, 0.6, [0, 0.9, 0.1, 0]);
            yield return ("audio_music_sponsored_session", Source.Ad, "now_playing", "audio_spot", Modality.Audio, "music", 0.10, 0.85, [0, 0.8, 0.2, 0]);
            yield return ("video_podcast_preroll", Source.Ad, "now_playing", "video_player", Modality.Video, "podcast", 0.5, 1.0, [0, 0.8, 0.2, 0]);
            yield return ("video_music_takeover", Source.Ad, "home", "takeover", Modality.Video, "music", 0.5, 0.9, [0.7, 0, 0.3, 0]);
        }
    }
}
