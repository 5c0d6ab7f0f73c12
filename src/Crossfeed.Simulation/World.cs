namespace Crossfeed.Simulation;

/// <summary>
/// The simulator's ground truth: users, shows, campaigns, creatives and the outcome model. The
/// generator draws every label from <see cref="Probabilities"/>'s code path; <see cref="Load"/> gives
/// back the same world from a simulated folder.
/// </summary>
public sealed class World
{
    internal World(WorldConfig config, WorldCoefficients coefficients, UserTable users, ShowTable shows, AdTable ads)
    {
        Config = config;
        Coefficients = coefficients;
        UsersTable = users;
        ShowsTable = shows;
        Ads = ads;
        _slotIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < coefficients.Slots.Length; i++) _slotIndex[coefficients.Slots[i].Name] = i;
        _adSlotsByModality = new int[3][];
        for (int m = 0; m < 3; m++)
            _adSlotsByModality[m] = Enumerable.Range(0, coefficients.Slots.Length)
                .Where(i => coefficients.Slots[i].Source == Source.Ad && (int)coefficients.Slots[i].Modality == m).ToArray();
        _promoSlots = Enumerable.Range(0, coefficients.Slots.Length).Where(i => coefficients.Slots[i].Source == Source.Promotion).ToArray();
        TopicCount = coefficients.Topics.Length;
        GenreCount = coefficients.Genres.Length;
    }

    private readonly Dictionary<string, int> _slotIndex;
    private readonly int[][] _adSlotsByModality;
    private readonly int[] _promoSlots;

    public WorldConfig Config { get; }

    public WorldCoefficients Coefficients { get; }

    internal UserTable UsersTable { get; }

    internal ShowTable ShowsTable { get; }

    internal AdTable Ads { get; }

    internal int TopicCount { get; }

    internal int GenreCount { get; }

    internal ReadOnlySpan<int> PromoSlots => _promoSlots;

    internal ReadOnlySpan<int> AdSlots(int modality) => _adSlotsByModality[modality];

    public int UserCount => UsersTable.Count;

    public int ShowCount => ShowsTable.Count;

    public int CampaignCount => Ads.CampaignCount;

    public int CreativeCount => Ads.CreativeCount;

    public IReadOnlyList<SlotSpec> Slots => Coefficients.Slots;

    public IReadOnlyList<string> SessionStates => Coefficients.SessionStates;

    /// <summary>Loads a world written by <see cref="Simulator"/> (world.json and the table files).</summary>
    public static World Load(string dir) => WorldStore.Load(dir);

    /// <summary>Index of a slot by name; -1 when the world has no such slot.</summary>
    public int SlotIndex(string name) => _slotIndex.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Index of a session state by name; -1 when unknown.</summary>
    public int SessionIndex(string name) => Array.IndexOf(Coefficients.SessionStates, name);

    public int ShowLaunchDay(int showId) => ShowsTable.LaunchDay[CheckShow(showId)];

    /// <summary>Whether the show exists on that day (launched on or before it).</summary>
    public bool IsLive(int showId, int day) => ShowsTable.LaunchDay[CheckShow(showId)] <= day;

    /// <summary>Platform streams of the show over the 30 days before <paramref name="day"/> (days past the window use the last day).</summary>
    public long Streams30d(int showId, int day) => ShowsTable.Streams30[CheckShow(showId) * Config.Days + ClampDay(day)];

    /// <summary>Popularity tier 0..7 of the show on that day (0 = most streamed).</summary>
    public int Tier(int showId, int day) => ShowsTable.Tier[CheckShow(showId) * Config.Days + ClampDay(day)];

    public ReadOnlySpan<int> UserHistory(int userId) => UsersTable.History[CheckUser(userId)];

    /// <summary>How often the user comes to the platform (mean 1 over users): arrivals are drawn in proportion to it.</summary>
    public double UserActivity(int userId) => UsersTable.Activity[CheckUser(userId)];

    public CreativeInfo Creative(int creativeId)
    {
        if ((uint)creativeId >= (uint)Ads.CreativeCount) throw new ArgumentOutOfRangeException(nameof(creativeId), creativeId, "no such creative");
        int c = Ads.CreativeCampaign[creativeId];
        return new CreativeInfo(creativeId, c, Ads.CampaignShow[c], Ads.CreativeFormat[creativeId], (Modality)Ads.CreativeModality[creativeId], Ads.CreativeBidCpm[creativeId]);
    }

    public CampaignInfo Campaign(int campaignId)
    {
        if ((uint)campaignId >= (uint)Ads.CampaignCount) throw new ArgumentOutOfRangeException(nameof(campaignId), campaignId, "no such campaign");
        return new CampaignInfo(campaignId, Ads.CampaignShow[campaignId], Ads.CampaignStart[campaignId], Ads.CampaignEnd[campaignId],
            Ads.CampaignBudget[campaignId], Ads.CampaignSpent[campaignId]);
    }

    /// <summary>
    /// The true outcome probabilities of an exposure: the same code path that drew the labels of the log.
    /// For an ad slot the show must be the one the creative's campaign advertises.
    /// </summary>
    public OutcomeProbabilities Probabilities(in Exposure e)
    {
        CheckUser(e.UserId);
        CheckShow(e.ShowId);
        if ((uint)e.Slot >= (uint)Coefficients.Slots.Length) throw new ArgumentOutOfRangeException(nameof(e), e.Slot, "no such slot");
        if ((uint)e.Hour >= 24) throw new ArgumentOutOfRangeException(nameof(e), e.Hour, "hour must lie in 0..23");
        if ((uint)e.Session >= (uint)Coefficients.SessionStates.Length) throw new ArgumentOutOfRangeException(nameof(e), e.Session, "no such session state");
        var slot = Coefficients.Slots[e.Slot];
        if (slot.Source == Source.Ad)
        {
            var cr = Creative(e.CreativeId);
            if (cr.ShowId != e.ShowId) throw new ArgumentException($"creative {e.CreativeId} advertises show {cr.ShowId}, not {e.ShowId}", nameof(e));
            if (cr.Modality != slot.Modality) throw new ArgumentException($"creative {e.CreativeId} is {cr.Modality}, slot {slot.Name} is {slot.Modality}", nameof(e));
        }
        else if (e.CreativeId != -1 || e.CampaignExposures != 0)
        {
            throw new ArgumentException("promotion slots take no creative and no campaign exposures (CreativeId -1, CampaignExposures 0)", nameof(e));
        }
        if (e.CampaignExposures < 0) throw new ArgumentOutOfRangeException(nameof(e), e.CampaignExposures, "campaign exposures must not be negative");
        if (e.ListeningShowId != -1) CheckShow(e.ListeningShowId);
        Span<double> z = stackalloc double[4];
        Offsets(e.UserId, e.ShowId, e.Slot, e.Hour, e.Session, e.CreativeId, e.ListeningShowId, e.CampaignExposures, z);
        int src = (int)slot.Source;
        return new OutcomeProbabilities(
            Probability(src, 0, z[0]), Probability(src, 1, z[1]), Probability(src, 2, z[2]), Probability(src, 3, z[3]));
    }

    /// <summary>sigmoid(intercept + offset): the last step of every probability the world gives.</summary>
    internal double Probability(int source, int outcome, double offset) =>
        1.0 / (1.0 + Math.Exp(-(Coefficients.Intercepts[source][outcome] + offset)));

    /// <summary>
    /// The shared user-show affinity: latent match, show quality, genre and topic overlap with the
    /// history, the show being in the history (on ads weighted by AdHistoryBoost when set), and the
    /// user's activity.
    /// </summary>
    internal double Affinity(int u, int s, bool ad)
    {
        var c = Config;
        int k = c.LatentDim;
        var uv = UsersTable.Latent.AsSpan(u * k, k);
        var sv = ShowsTable.Latent.AsSpan(s * k, k);
        double dot = 0;
        for (int i = 0; i < k; i++) dot += uv[i] * sv[i];
        double genre = UsersTable.GenreShare[u * GenreCount + ShowsTable.Genre[s]];
        var topics = ShowsTable.Topics[s];
        double topic = 0;
        int tb = u * TopicCount;
        foreach (int t in topics) topic += UsersTable.TopicShare[tb + t];
        topic /= topics.Length;
        bool inHistory = Array.IndexOf(UsersTable.History[u], s) >= 0;
        return c.AffinityLatentWeight * dot / k
            + c.QualityWeight * ShowsTable.Quality[s]
            + c.GenreOverlapWeight * genre
            + c.TopicOverlapWeight * topic
            + (inHistory ? (ad ? c.AdHistoryBoost ?? c.HistoryBoost : c.HistoryBoost) : 0)
            + c.ActivityWeight * UsersTable.LogActivity[u];
    }

    /// <summary>
    /// Each outcome's logit without its intercept. Shared part: attention x task weight x affinity.
    /// Channel parts: slot, session, hour and demographic effects; for ads the creative's effects
    /// (its click effect raises clicks only), the user's ad receptiveness, fatigue from earlier exposures
    /// to the campaign, and on the now-playing surface the match of the listened show with the advertised one.
    /// </summary>
    internal void Offsets(int u, int s, int slotIndex, int hour, int session, int creative, int listening, int exposures, Span<double> z)
    {
        var co = Coefficients;
        var slot = co.Slots[slotIndex];
        int src = (int)slot.Source;
        double attention = co.ModalityAttention[(int)slot.Modality] * slot.Attention;
        double affinity = Affinity(u, s, slot.Source == Source.Ad);
        var taskAffinity = co.TaskAffinity[src];
        var sessionFx = co.SessionEffects[session];
        var hourFx = co.HourEffects[hour];
        var countryFx = co.CountryEffects[UsersTable.Country[u]];
        var ageFx = co.AgeEffects[UsersTable.Age[u]];
        var deviceFx = co.DeviceEffects[UsersTable.Device[u]];
        var slotFx = slot.Effects;
        for (int t = 0; t < 4; t++)
            z[t] = attention * taskAffinity[t] * affinity + slotFx[t] + sessionFx[t] + hourFx[t] + countryFx[t] + ageFx[t] + deviceFx[t];
        z[2] += co.LikeQualityWeight * ShowsTable.Quality[s];
        if (IsFollowed(u, s)) z[3] += co.FollowedPenalty;
        if (creative >= 0)
        {
            z[0] += Ads.CreativeStreamEffect[creative];
            z[1] += Ads.CreativeClickEffect[creative];
            z[3] += co.CreativeFollowShare * Ads.CreativeStreamEffect[creative];
        }
        if (slot.Source == Source.Ad)
        {
            var c = Config;
            double fatigue = c.FatigueWeight * Math.Log(1 + exposures);
            double context = listening >= 0 && slot.Surface == NowPlaying ? c.ListeningContextWeight * LatentCosine(listening, s) : 0;
            for (int t = 0; t < 4; t++) z[t] += UsersTable.AdReceptiveness[u] + taskAffinity[t] * context;
            z[0] -= fatigue;
            z[1] -= fatigue;
        }
    }

    /// <summary>The surface where an episode is playing: in-stream ads interrupt it, its show is logged as context.</summary>
    internal const string NowPlaying = "now_playing";

    private double LatentCosine(int a, int b)
    {
        int k = Config.LatentDim;
        var x = ShowsTable.Latent.AsSpan(a * k, k);
        var y = ShowsTable.Latent.AsSpan(b * k, k);
        double xy = 0, xx = 0, yy = 0;
        for (int i = 0; i < k; i++)
        {
            xy += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xx > 0 && yy > 0 ? xy / Math.Sqrt(xx * yy) : 0;
    }

    private bool IsFollowed(int u, int s)
    {
        var h = UsersTable.History[u];
        int f = UsersTable.Followed[u];
        for (int i = 0; i < f; i++)
            if (h[i] == s) return true;
        return false;
    }

    private int ClampDay(int day) => Math.Clamp(day, 0, Config.Days - 1);

    private int CheckUser(int u) =>
        (uint)u < (uint)UsersTable.Count ? u : throw new ArgumentOutOfRangeException("userId", u, "no such user");

    private int CheckShow(int s) =>
        (uint)s < (uint)ShowsTable.Count ? s : throw new ArgumentOutOfRangeException("showId", s, "no such show");

    /// <summary>Genre and topic shares of each user's history (derived, so Build and Load share them).</summary>
    internal static void DeriveUserProfiles(UserTable users, ShowTable shows, int genres, int topics)
    {
        users.LogActivity = new float[users.Count];
        users.GenreShare = new float[users.Count * genres];
        users.TopicShare = new float[users.Count * topics];
        for (int u = 0; u < users.Count; u++)
        {
            users.LogActivity[u] = MathF.Log(users.Activity[u]);
            var h = users.History[u];
            if (h.Length == 0) continue;
            float inv = 1f / h.Length;
            foreach (int s in h)
            {
                users.GenreShare[u * genres + shows.Genre[s]] += inv;
                foreach (int t in shows.Topics[s]) users.TopicShare[u * topics + t] += inv;
            }
        }
    }
}
