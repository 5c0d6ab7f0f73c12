using System.Text.Json.Serialization;

namespace Crossfeed.Simulation;

/// <summary>
/// Every knob of the simulated world. Defaults give the laptop-scale podcast world
/// (1.5M impressions, 56 days). See docs/simulator.md for the meaning of each knob.
/// </summary>
public sealed record WorldConfig
{
    /// <summary>Lower bounds of platform streams over 30 days for tiers 0..6; tier 7 lies below 5.</summary>
    public static readonly IReadOnlyList<long> DefaultTierThresholds = Array.AsReadOnly<long>([500_000, 50_000, 5_000, 1_000, 200, 50, 5]);

    // ---- volumes and time ----
    public Scenario Scenario { get; init; } = Scenario.Podcast;
    public long Impressions { get; init; } = 1_500_000;
    public int Seed { get; init; } = 7;
    public int Days { get; init; } = 56;
    public DateTime StartDate { get; init; } = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);
    public double DailyGrowth { get; init; } = 0.003;
    public double WeekendLift { get; init; } = 1.1;

    // ---- catalogue ----
    public int Users { get; init; } = 50_000;
    public int Shows { get; init; } = 4_000;
    public int Genres { get; init; } = 20;
    public int TopicsPerGenre { get; init; } = 6;
    public int SharedTopics { get; init; } = 12;
    public int LatentDim { get; init; } = 16;
    public int EmbeddingDim { get; init; } = 16;
    public double EmbeddingNoise { get; init; } = 0.5;
    public double UserLatentNoise { get; init; } = 0.5;
    public double ShowLatentNoise { get; init; } = 0.6;
    public double TopicLatentWeight { get; init; } = 0.5;
    public int MaxUserGenres { get; init; } = 3;
    public double HistoryMean { get; init; } = 10;
    public int HistoryMax { get; init; } = 30;
    public double FollowShare { get; init; } = 0.3;
    public double NewShowShare { get; init; } = 0.25;
    public double LaunchRampDays { get; init; } = 14;

    // ---- popularity and tiers ----
    public double PopularityTailExponent { get; init; } = 0.42;
    public double PopularityMinStreams { get; init; } = 40;
    public double PopularityMaxStreams { get; init; } = 50_000_000;
    public double PopularityQualityCorrelation { get; init; } = 0.5;
    public IReadOnlyList<long> TierThresholds { get; init; } = DefaultTierThresholds;
    public long LessStreamedThreshold { get; init; } = 5_000;

    // ---- channel mix and logging policies ----
    public double AdShare { get; init; } = 0.75;
    public double AdAudioShare { get; init; } = 0.70;
    public double AdVideoShare { get; init; } = 0.07;
    public double PromoExploration { get; init; } = 0.3;
    public double PolicyPersonalization { get; init; } = 0.5;
    public double PolicyPopularityExponent { get; init; } = 0.6;
    public double HistoryPopularityExponent { get; init; } = 0.5;
    public double AdTargeting { get; init; } = 0.3;
    public int Campaigns { get; init; } = 800;
    public int MaxCreativesPerCampaign { get; init; } = 4;
    public double CampaignPopularityExponent { get; init; } = 0.25;
    public int CampaignMinDays { get; init; } = 7;
    public int CampaignMaxDays { get; init; } = 28;
    public double BudgetFactor { get; init; } = 1.5;
    public double AudioCpm { get; init; } = 18;
    public double VideoCpm { get; init; } = 28;
    public double DisplayCpm { get; init; } = 6;

    // ---- outcome effects ----
    public double AffinityLatentWeight { get; init; } = 2.0;
    public double QualityWeight { get; init; } = 0.5;
    public double GenreOverlapWeight { get; init; } = 1.0;
    public double TopicOverlapWeight { get; init; } = 0.8;
    public double HistoryBoost { get; init; } = 0.7;

    /// <summary>
    /// The history term of the affinity on ad impressions; null: the same as <see cref="HistoryBoost"/>.
    /// A different value makes ads respond differently to a feature both channels share (the user's history).
    /// </summary>
    public double? AdHistoryBoost { get; init; }
    public double ActivityWeight { get; init; } = 0.2;
    public double PromoClickAffinityWeight { get; init; } = 0.6;
    public double AdClickAffinityWeight { get; init; } = 0.3;
    public double LikeAffinityWeight { get; init; } = 0.8;
    public double FollowAffinityWeight { get; init; } = 0.9;
    public double ChannelEffectSd { get; init; } = 0.3;
    public double DemographicEffectSd { get; init; } = 0.15;
    public double HourEffect { get; init; } = 0.15;
    public double CreativeClickEffectSd { get; init; } = 0.8;
    public double CreativeStreamEffectSd { get; init; } = 0.4;

    // ---- ad-only response mechanisms (docs/simulator.md, "Ads that behave like ads"; 0 switches each off) ----

    /// <summary>Sd of each user's own (unobserved) propensity to act on ads, in logits; added to every ad outcome.</summary>
    public double AdReceptivenessSd { get; init; } = 0.5;

    /// <summary>Sd of the part of ad receptiveness that age bucket and device carry (one draw per bucket and per device).</summary>
    public double AdReceptivenessDemographicSd { get; init; } = 0.25;

    /// <summary>Logit drop of an ad's stream and click per ln(1 + earlier exposures of the user to the campaign).</summary>
    public double FatigueWeight { get; init; } = 0.3;

    /// <summary>Logit shift of an in-stream ad per unit cosine between the show being listened to and the advertised show.</summary>
    public double ListeningContextWeight { get; init; } = 0.6;

    /// <summary>Share of now-playing impressions whose listened show comes from the user's history (else a popular live show).</summary>
    public double ListeningFromHistory { get; init; } = 0.8;
    public double AudioAttention { get; init; } = 1.0;
    public double VideoAttention { get; init; } = 0.8;
    public double DisplayAttention { get; init; } = 0.55;

    // ---- base rates (intercepts are solved so the logged rates land near these) ----
    public double PromoStreamRate { get; init; } = 0.12;
    public double AdStreamRate { get; init; } = 0.01;
    public double PromoClickRate { get; init; } = 0.05;
    public double AdClickRate { get; init; } = 0.008;
    public double PromoLikeRate { get; init; } = 0.02;
    public double AdLikeRate { get; init; } = 0.003;
    public double PromoFollowRate { get; init; } = 0.03;
    public double AdFollowRate { get; init; } = 0.004;

    /// <summary>First day on which `follow` is logged for ads (the late new objective); null = 5/8 of Days.</summary>
    public int? AdFollowFromDay { get; init; }

    /// <summary>Display share of ad impressions: what audio and video leave.</summary>
    [JsonIgnore]
    public double AdDisplayShare => Math.Max(0, 1 - AdAudioShare - AdVideoShare);

    [JsonIgnore]
    public int EffectiveAdFollowFromDay => AdFollowFromDay ?? (int)Math.Round(Days * 0.625);

    /// <summary>End (exclusive) of the training days: 3/4 of Days (42 of 56).</summary>
    [JsonIgnore]
    public int TrainEndDay => (int)Math.Round(Days * 0.75);

    /// <summary>End (exclusive) of the validation days: 7/8 of Days (49 of 56); the test days follow.</summary>
    [JsonIgnore]
    public int ValEndDay => (int)Math.Round(Days * 0.875);

    /// <summary>
    /// Defaults for a scenario, with users, shows and campaigns scaled to the impression count
    /// (the 1.5M defaults: 50k users, 4k shows, 800 campaigns; sublinear below and above).
    /// </summary>
    public static WorldConfig ForScenario(Scenario scenario, long impressions = 1_500_000, int seed = 7)
    {
        if (impressions <= 0)
            throw WorldConfigErrors.Bad(nameof(Impressions), $"must be positive (got {impressions})");
        double f = impressions / 1_500_000.0;
        var config = new WorldConfig
        {
            Scenario = scenario,
            Impressions = impressions,
            Seed = seed,
            Users = (int)Math.Clamp(Math.Round(50_000 * Math.Pow(f, 0.75)), 1_000, 5_000_000),
            Shows = (int)Math.Clamp(Math.Round(4_000 * Math.Pow(f, 0.5)), 600, 200_000),
            Campaigns = (int)Math.Clamp(Math.Round(800 * Math.Pow(f, 0.5)), 120, 50_000),
        };
        return scenario == Scenario.Camoe ? config with { AdAudioShare = 0.91, AdVideoShare = 0.09 } : config;
    }

    /// <summary>Throws (naming the knob) when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Scenario)) throw WorldConfigErrors.Bad(nameof(Scenario), $"unknown scenario {(int)Scenario}");
        Positive(nameof(Impressions), Impressions, Simulator.MaxImpressions);
        Range(nameof(Days), Days, 8, 3650);
        if (StartDate.Kind == DateTimeKind.Local) throw WorldConfigErrors.Bad(nameof(StartDate), "must be UTC or unspecified, not local time");
        Range(nameof(DailyGrowth), DailyGrowth, -0.02, 0.1);
        Range(nameof(WeekendLift), WeekendLift, 0.1, 10);

        Range(nameof(Users), Users, 10, 50_000_000);
        Range(nameof(Shows), Shows, 20, 5_000_000);
        Range(nameof(Genres), Genres, 2, 500);
        Range(nameof(TopicsPerGenre), TopicsPerGenre, 1, 100);
        Range(nameof(SharedTopics), SharedTopics, 0, 1000);
        Range(nameof(LatentDim), LatentDim, 2, 256);
        Range(nameof(EmbeddingDim), EmbeddingDim, 1, 1024);
        Range(nameof(EmbeddingNoise), EmbeddingNoise, 0, 100);
        Range(nameof(UserLatentNoise), UserLatentNoise, 0, 100);
        Range(nameof(ShowLatentNoise), ShowLatentNoise, 0, 100);
        Range(nameof(TopicLatentWeight), TopicLatentWeight, 0, 100);
        Range(nameof(MaxUserGenres), MaxUserGenres, 1, Genres);
        Range(nameof(HistoryMean), HistoryMean, 0, 1000);
        Range(nameof(HistoryMax), HistoryMax, 1, 1000);
        Share(nameof(FollowShare), FollowShare);
        Share(nameof(NewShowShare), NewShowShare);
        if (NewShowShare >= 1) throw WorldConfigErrors.Bad(nameof(NewShowShare), $"must be below 1: some shows must exist before the window (got {NewShowShare})");
        Range(nameof(LaunchRampDays), LaunchRampDays, 0.1, 3650);
        // Per-user and per-show-day tables live in single arrays.
        long topics = (long)Genres * TopicsPerGenre + SharedTopics;
        if ((long)Users * (LatentDim + Genres + topics) > 1_000_000_000)
            throw WorldConfigErrors.Bad(nameof(Users), $"x (LatentDim + Genres + topics) must be at most 1,000,000,000 (got {Users} x {LatentDim + Genres + topics})");
        if ((long)Shows * (Days + 30) > 1_000_000_000 || (long)Shows * LatentDim > 1_000_000_000)
            throw WorldConfigErrors.Bad(nameof(Shows), $"x (Days + 30) and x LatentDim must be at most 1,000,000,000 (got {Shows} shows)");

        Range(nameof(PopularityTailExponent), PopularityTailExponent, 0.05, 10);
        Range(nameof(PopularityMinStreams), PopularityMinStreams, 0.01, 1e9);
        Range(nameof(PopularityMaxStreams), PopularityMaxStreams, PopularityMinStreams, 1e12);
        Range(nameof(PopularityQualityCorrelation), PopularityQualityCorrelation, -1, 1);
        if (TierThresholds is null || TierThresholds.Count != 7)
            throw WorldConfigErrors.Bad(nameof(TierThresholds), "must hold 7 descending lower bounds (tiers 0..6; tier 7 lies below the last)");
        for (int i = 0; i < 7; i++)
        {
            if (TierThresholds[i] <= 0 || (i > 0 && TierThresholds[i] >= TierThresholds[i - 1]))
                throw WorldConfigErrors.Bad(nameof(TierThresholds), $"must be positive and strictly descending (got [{string.Join(", ", TierThresholds)}])");
        }
        Positive(nameof(LessStreamedThreshold), LessStreamedThreshold, long.MaxValue);

        Share(nameof(AdShare), AdShare);
        Share(nameof(AdAudioShare), AdAudioShare);
        Share(nameof(AdVideoShare), AdVideoShare);
        if (AdAudioShare + AdVideoShare > 1 + 1e-9)
            throw WorldConfigErrors.Bad(nameof(AdVideoShare), $"AdAudioShare + AdVideoShare must not exceed 1 (got {AdAudioShare} + {AdVideoShare})");
        if (Scenario == Scenario.Camoe && AdDisplayShare > 1e-9)
            throw WorldConfigErrors.Bad(nameof(AdAudioShare), $"the camoe scenario has no display ads: AdAudioShare + AdVideoShare must be 1 (got {AdAudioShare} + {AdVideoShare})");
        Share(nameof(PromoExploration), PromoExploration);
        Share(nameof(PolicyPersonalization), PolicyPersonalization);
        Range(nameof(PolicyPopularityExponent), PolicyPopularityExponent, 0, 3);
        Range(nameof(HistoryPopularityExponent), HistoryPopularityExponent, 0, 3);
        Share(nameof(AdTargeting), AdTargeting);
        Range(nameof(Campaigns), Campaigns, 1, 10_000_000);
        Range(nameof(MaxCreativesPerCampaign), MaxCreativesPerCampaign, 1, 100);
        Range(nameof(CampaignPopularityExponent), CampaignPopularityExponent, -3, 3);
        Range(nameof(CampaignMinDays), CampaignMinDays, 1, 3650);
        Range(nameof(CampaignMaxDays), CampaignMaxDays, CampaignMinDays, 3650);
        Range(nameof(BudgetFactor), BudgetFactor, 0.01, 1000);
        Range(nameof(AudioCpm), AudioCpm, 0.01, 10_000);
        Range(nameof(VideoCpm), VideoCpm, 0.01, 10_000);
        Range(nameof(DisplayCpm), DisplayCpm, 0.01, 10_000);

        Range(nameof(AffinityLatentWeight), AffinityLatentWeight, -20, 20);
        Range(nameof(QualityWeight), QualityWeight, -20, 20);
        Range(nameof(GenreOverlapWeight), GenreOverlapWeight, -20, 20);
        Range(nameof(TopicOverlapWeight), TopicOverlapWeight, -20, 20);
        Range(nameof(HistoryBoost), HistoryBoost, -20, 20);
        if (AdHistoryBoost is { } adHistory) Range(nameof(AdHistoryBoost), adHistory, -20, 20);
        Range(nameof(ActivityWeight), ActivityWeight, -20, 20);
        Range(nameof(PromoClickAffinityWeight), PromoClickAffinityWeight, -20, 20);
        Range(nameof(AdClickAffinityWeight), AdClickAffinityWeight, -20, 20);
        Range(nameof(LikeAffinityWeight), LikeAffinityWeight, -20, 20);
        Range(nameof(FollowAffinityWeight), FollowAffinityWeight, -20, 20);
        Range(nameof(ChannelEffectSd), ChannelEffectSd, 0, 10);
        Range(nameof(DemographicEffectSd), DemographicEffectSd, 0, 10);
        Range(nameof(HourEffect), HourEffect, -10, 10);
        Range(nameof(CreativeClickEffectSd), CreativeClickEffectSd, 0, 10);
        Range(nameof(CreativeStreamEffectSd), CreativeStreamEffectSd, 0, 10);
        Range(nameof(AdReceptivenessSd), AdReceptivenessSd, 0, 10);
        Range(nameof(AdReceptivenessDemographicSd), AdReceptivenessDemographicSd, 0, 10);
        Range(nameof(FatigueWeight), FatigueWeight, 0, 10);
        Range(nameof(ListeningContextWeight), ListeningContextWeight, -10, 10);
        Share(nameof(ListeningFromHistory), ListeningFromHistory);
        Range(nameof(AudioAttention), AudioAttention, 0, 10);
        Range(nameof(VideoAttention), VideoAttention, 0, 10);
        Range(nameof(DisplayAttention), DisplayAttention, 0, 10);

        Rate(nameof(PromoStreamRate), PromoStreamRate);
        Rate(nameof(AdStreamRate), AdStreamRate);
        Rate(nameof(PromoClickRate), PromoClickRate);
        Rate(nameof(AdClickRate), AdClickRate);
        Rate(nameof(PromoLikeRate), PromoLikeRate);
        Rate(nameof(AdLikeRate), AdLikeRate);
        Rate(nameof(PromoFollowRate), PromoFollowRate);
        Rate(nameof(AdFollowRate), AdFollowRate);
        if (AdFollowFromDay is { } from && (from < 0 || from > Days))
            throw WorldConfigErrors.Bad(nameof(AdFollowFromDay), $"must lie in [0, Days={Days}] (Days = never; got {from})");
    }

    private static void Positive(string name, long value, long max)
    {
        if (value <= 0 || value > max) throw WorldConfigErrors.Bad(name, $"must lie in [1, {max}] (got {value})");
    }

    private static void Range(string name, long value, long min, long max)
    {
        if (value < min || value > max) throw WorldConfigErrors.Bad(name, $"must lie in [{min}, {max}] (got {value})");
    }

    private static void Range(string name, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
            throw WorldConfigErrors.Bad(name, $"must be a finite number in [{min}, {max}] (got {value})");
    }

    private static void Share(string name, double value)
    {
        if (!double.IsFinite(value) || value < 0 || value > 1)
            throw WorldConfigErrors.Bad(name, $"is a share and must lie in [0, 1] (got {value})");
    }

    private static void Rate(string name, double value)
    {
        if (!double.IsFinite(value) || value <= 0 || value >= 1)
            throw WorldConfigErrors.Bad(name, $"is a base rate and must lie in (0, 1) (got {value})");
    }
}
