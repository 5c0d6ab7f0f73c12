using System.Text.Json;
using System.Text.Json.Serialization;
using Crossfeed.Core;

namespace Crossfeed.Simulation;

/// <summary>Saves a world's tables and world.json into a folder, and loads them back.</summary>
internal static class WorldStore
{
    public const string JsonFile = "world.json";
    public const string UsersFile = "users.parquet";
    public const string ShowsFile = "shows.parquet";
    public const string ShowDaysFile = "show_days.parquet";
    public const string CampaignsFile = "campaigns.parquet";
    public const string CreativesFile = "creatives.parquet";
    private const int RowGroupRows = 250_000;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static IEnumerable<string> Save(World world, string dir, CancellationToken ct)
    {
        var c = world.Config;
        var co = world.Coefficients;
        var users = world.UsersTable;
        var shows = world.ShowsTable;
        var ads = world.Ads;
        int k = c.LatentDim, days = c.Days, span = days + 30;

        var u = new ParquetTableWriter();
        u.Add("user_id", i => i);
        u.Add("country", i => co.Countries[users.Country[i]]);
        u.Add("age_bucket", i => co.AgeBuckets[users.Age[i]]);
        u.Add("device", i => co.Devices[users.Device[i]]);
        u.Add("activity", i => users.Activity[i]);
        u.Add("listening_minutes_30d", i => users.Minutes[i]);
        u.Add("followed_count", i => users.Followed[i]);
        u.Add("history_shows", i => users.History[i]);
        u.Add("taste_genres", i => users.TasteGenres[i]);
        u.Add("taste_weights", i => users.TasteWeights[i]);
        u.Add("latent", i => users.Latent.AsSpan(i * k, k).ToArray());
        u.Add("ad_receptiveness", i => users.AdReceptiveness[i]);
        u.Write(Path.Combine(dir, UsersFile), users.Count, RowGroupRows, ct);

        var s = new ParquetTableWriter();
        s.Add("show_id", i => i);
        s.Add("genre", i => co.Genres[shows.Genre[i]]);
        s.Add("genre_id", i => shows.Genre[i]);
        s.AddStringLists("topics", i => shows.Topics[i], co.Topics);
        s.Add("topic_ids", i => shows.Topics[i]);
        s.Add("quality", i => shows.Quality[i]);
        s.Add("base_streams_30d", i => shows.BaseStreams[i]);
        s.Add("launch_day", i => shows.LaunchDay[i]);
        s.Add("episode_cadence_days", i => shows.Cadence[i]);
        s.Add("latent", i => shows.Latent.AsSpan(i * k, k).ToArray());
        s.Add("show_embedding", i => shows.Embedding[i]);
        s.Add("streams_30d_last_day", i => shows.Streams30[i * days + days - 1]);
        s.Add("tier_last_day", i => (int)shows.Tier[i * days + days - 1]);
        s.Write(Path.Combine(dir, ShowsFile), shows.Count, RowGroupRows, ct);

        // Platform listening per show and day; days -30..-1 only feed the first rolling windows.
        var sd = new ParquetTableWriter();
        sd.Add("show_id", i => i / span);
        sd.Add("day", i => i % span - 30);
        sd.Add("streams", i => shows.DailyStreams[i]);
        sd.Add("streams_30d", i => i % span < 30 ? (long?)null : shows.Streams30[i / span * days + i % span - 30]);
        sd.Add("tier", i => i % span < 30 ? (int?)null : shows.Tier[i / span * days + i % span - 30]);
        sd.Write(Path.Combine(dir, ShowDaysFile), shows.Count * span, RowGroupRows, ct);

        var cp = new ParquetTableWriter();
        cp.Add("campaign_id", i => i);
        cp.Add("show_id", i => ads.CampaignShow[i]);
        cp.Add("start_day", i => ads.CampaignStart[i]);
        cp.Add("end_day", i => ads.CampaignEnd[i]);
        cp.Add("bid_multiplier", i => ads.CampaignBidMultiplier[i]);
        cp.Add("budget", i => ads.CampaignBudget[i]);
        cp.Add("spent_in_log", i => ads.CampaignSpent[i]);
        cp.Write(Path.Combine(dir, CampaignsFile), ads.CampaignCount, RowGroupRows, ct);

        var cr = new ParquetTableWriter();
        cr.Add("creative_id", i => i);
        cr.Add("campaign_id", i => ads.CreativeCampaign[i]);
        cr.Add("show_id", i => ads.CampaignShow[ads.CreativeCampaign[i]]);
        cr.Add("ad_format", i => ads.CreativeFormat[i]);
        cr.Add("modality", i => Catalog.ModalityNames[ads.CreativeModality[i]]);
        cr.Add("bid_cpm", i => ads.CreativeBidCpm[i]);
        cr.Add("click_effect", i => ads.CreativeClickEffect[i]);
        cr.Add("stream_effect", i => ads.CreativeStreamEffect[i]);
        cr.Write(Path.Combine(dir, CreativesFile), ads.CreativeCount, RowGroupRows, ct);

        var file = new WorldFile { Config = c, Coefficients = co };
        AtomicFile.WriteAllText(Path.Combine(dir, JsonFile), JsonSerializer.Serialize(file, Json));
        return [UsersFile, ShowsFile, ShowDaysFile, CampaignsFile, CreativesFile, JsonFile];
    }

    public static World Load(string dir)
    {
        var jsonPath = Path.Combine(dir, JsonFile);
        if (!File.Exists(jsonPath)) throw new BadInputException($"{jsonPath}: not found (is {dir} a folder written by `crossfeed simulate`?)");
        WorldFile? file;
        try
        {
            file = JsonSerializer.Deserialize<WorldFile>(File.ReadAllText(jsonPath), Json);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{jsonPath}: malformed world file ({e.Message})", e);
        }
        if (file is null) throw new BadInputException($"{jsonPath}: empty world file");
        if (file.FormatVersion != WorldFile.CurrentFormatVersion)
            throw new BadInputException($"{jsonPath}: format_version {file.FormatVersion} is not supported (expected {WorldFile.CurrentFormatVersion})");
        var c = file.Config;
        var co = file.Coefficients;
        try
        {
            c.Validate();
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"{jsonPath}: config: {e.Message}", e);
        }
        if (co.Intercepts.Length != 2 || co.Intercepts.Any(r => r.Length != 4) || co.Slots.Length == 0)
            throw new BadInputException($"{jsonPath}: coefficients are incomplete");

        try
        {
            var users = LoadUsers(Path.Combine(dir, UsersFile), c, co);
            var shows = LoadShows(Path.Combine(dir, ShowsFile), Path.Combine(dir, ShowDaysFile), c);
            var ads = LoadAds(Path.Combine(dir, CampaignsFile), Path.Combine(dir, CreativesFile));
            World.DeriveUserProfiles(users, shows, co.Genres.Length, co.Topics.Length);
            return new World(c, co, users, shows, ads);
        }
        catch (Exception e) when (e is ParquetSharp.ParquetException or IOException or IndexOutOfRangeException or InvalidCastException)
        {
            throw new BadInputException($"{dir}: cannot read the world's tables ({e.Message})", e);
        }
    }

    private static T Open<T>(string path, Func<ParquetTableReader, T> read)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: not found");
        using var r = new ParquetTableReader(path);
        return read(r);
    }

    private static UserTable LoadUsers(string path, WorldConfig c, WorldCoefficients co) => Open(path, r =>
    {
        int n = r.Rows;
        if (n != c.Users) throw new BadInputException($"{path}: {n} rows, world.json says {c.Users} users");
        CheckIds(path, r.Read<int>("user_id"));
        var latent = r.Read<float[]>("latent");
        return new UserTable
        {
            Count = n,
            Country = Codes(path, "country", r.Read<string>("country"), co.Countries),
            Age = Codes(path, "age_bucket", r.Read<string>("age_bucket"), co.AgeBuckets),
            Device = Codes(path, "device", r.Read<string>("device"), co.Devices),
            Activity = r.Read<float>("activity"),
            Minutes = r.Read<float>("listening_minutes_30d"),
            Followed = r.Read<int>("followed_count"),
            History = r.Read<int[]>("history_shows"),
            TasteGenres = r.Read<int[]>("taste_genres"),
            TasteWeights = r.Read<float[]>("taste_weights"),
            Latent = Flatten(path, latent, c.LatentDim),
            AdReceptiveness = r.Read<float>("ad_receptiveness"),
        };
    });

    private static ShowTable LoadShows(string path, string daysPath, WorldConfig c)
    {
        var shows = Open(path, r =>
        {
            int n = r.Rows;
            if (n != c.Shows) throw new BadInputException($"{path}: {n} rows, world.json says {c.Shows} shows");
            CheckIds(path, r.Read<int>("show_id"));
            return new ShowTable
            {
                Count = n,
                Genre = r.Read<int>("genre_id"),
                Topics = r.Read<int[]>("topic_ids"),
                Quality = r.Read<double>("quality"),
                BaseStreams = r.Read<double>("base_streams_30d"),
                LaunchDay = r.Read<int>("launch_day"),
                Cadence = r.Read<int>("episode_cadence_days"),
                Latent = Flatten(path, r.Read<float[]>("latent"), c.LatentDim),
                Embedding = r.Read<float[]>("show_embedding"),
            };
        });
        Open(daysPath, r =>
        {
            int span = c.Days + 30;
            if (r.Rows != shows.Count * span) throw new BadInputException($"{daysPath}: expected {shows.Count * span} rows, found {r.Rows}");
            shows.DailyStreams = r.Read<int>("streams");
            var s30 = r.Read<long?>("streams_30d");
            var tier = r.Read<int?>("tier");
            shows.Streams30 = new long[shows.Count * c.Days];
            shows.Tier = new byte[shows.Count * c.Days];
            for (int s = 0; s < shows.Count; s++)
                for (int d = 0; d < c.Days; d++)
                {
                    shows.Streams30[s * c.Days + d] = s30[s * span + d + 30] ?? 0;
                    shows.Tier[s * c.Days + d] = (byte)(tier[s * span + d + 30] ?? 7);
                }
            return 0;
        });
        return shows;
    }

    private static AdTable LoadAds(string campaignsPath, string creativesPath)
    {
        var ads = Open(campaignsPath, r =>
        {
            CheckIds(campaignsPath, r.Read<int>("campaign_id"));
            return new AdTable
            {
                CampaignCount = r.Rows,
                CampaignShow = r.Read<int>("show_id"),
                CampaignStart = r.Read<int>("start_day"),
                CampaignEnd = r.Read<int>("end_day"),
                CampaignBidMultiplier = r.Read<double>("bid_multiplier"),
                CampaignBudget = r.Read<double>("budget"),
                CampaignSpent = r.Read<double>("spent_in_log"),
            };
        });
        Open(creativesPath, r =>
        {
            CheckIds(creativesPath, r.Read<int>("creative_id"));
            ads.CreativeCount = r.Rows;
            ads.CreativeCampaign = r.Read<int>("campaign_id");
            ads.CreativeFormat = r.Read<string>("ad_format");
            ads.CreativeModality = Codes(creativesPath, "modality", r.Read<string>("modality"), Catalog.ModalityNames);
            ads.CreativeBidCpm = r.Read<float>("bid_cpm");
            ads.CreativeClickEffect = r.Read<double>("click_effect");
            ads.CreativeStreamEffect = r.Read<double>("stream_effect");
            return 0;
        });
        return ads;
    }

    private static void CheckIds(string path, int[] ids)
    {
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] != i) throw new BadInputException($"{path}: row {i}: expected id {i}, found {ids[i]} (ids must be 0..n-1 in order)");
    }

    private static byte[] Codes(string path, string column, string[] values, string[] vocabulary)
    {
        var index = new Dictionary<string, byte>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Length; i++) index[vocabulary[i]] = (byte)i;
        var codes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null || !index.TryGetValue(values[i], out codes[i]))
                throw BadInputException.At(path, column, i, $"unknown value '{values[i]}'");
        }
        return codes;
    }

    private static float[] Flatten(string path, float[][] rows, int dim)
    {
        var flat = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != dim) throw BadInputException.At(path, "latent", i, $"expected {dim} values");
            rows[i].CopyTo(flat, i * dim);
        }
        return flat;
    }
}
