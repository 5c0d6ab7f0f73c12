namespace Crossfeed.Simulation;

/// <summary>Draws a world from a config: coefficients, shows, platform listening, users, campaigns.</summary>
internal static class WorldBuilder
{
    // Purpose tags of the random streams: one per component, so a knob of one part never reshuffles another.
    private const ulong CoefficientStream = 1;
    private const ulong ShowStream = 2;
    private const ulong ListeningStream = 3;
    private const ulong UserStream = 4;
    private const ulong CampaignStream = 5;
    private const ulong ReceptivenessStream = 6;

    public static World Build(WorldConfig c)
    {
        var topicNames = Catalog.TopicNames(c);
        var co = BuildCoefficients(c, topicNames);
        var shows = BuildShows(c, co);
        BuildListening(c, shows);
        var users = BuildUsers(c, co, shows);
        DrawAdReceptiveness(c, co, users);
        var ads = BuildCampaigns(c, shows);
        World.DeriveUserProfiles(users, shows, c.Genres, topicNames.Length);
        return new World(c, co, users, shows, ads);
    }

    private static WorldCoefficients BuildCoefficients(WorldConfig c, string[] topicNames)
    {
        var rng = new Rng(c.Seed, Rng.Stream(CoefficientStream));
        int k = c.LatentDim;
        double[] Gaussian(ref Rng r, int n, double sd)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = sd * r.Normal();
            return v;
        }
        double[][] Table(ref Rng r, int rows, double sd)
        {
            var t = new double[rows][];
            for (int i = 0; i < rows; i++) t[i] = Gaussian(ref r, 4, sd);
            return t;
        }

        var genres = Enumerable.Range(0, c.Genres).Select(Catalog.Genre).ToArray();
        // A few big genres and a long tail of small ones.
        var genrePopularity = Enumerable.Range(0, c.Genres).Select(g => 1.0 / Math.Pow(1 + g, 0.6)).ToArray();
        var centroids = new double[c.Genres][];
        for (int g = 0; g < c.Genres; g++) centroids[g] = Gaussian(ref rng, k, 1.0);
        var topicVectors = new double[topicNames.Length][];
        for (int t = 0; t < topicNames.Length; t++) topicVectors[t] = Gaussian(ref rng, k, 1.0);
        var projection = new double[k][];
        for (int i = 0; i < k; i++) projection[i] = Gaussian(ref rng, c.EmbeddingDim, 1.0 / Math.Sqrt(k));

        var slots = new List<SlotSpec>();
        foreach (var t in Catalog.SlotTemplates(c.Scenario))
            slots.Add(new SlotSpec(t.Name, t.Source, t.Surface, t.Layout, t.Modality, t.ContentType, t.Weight, t.Attention,
                t.Sessions, Gaussian(ref rng, 4, c.ChannelEffectSd)));

        var hourEffects = new double[24][];
        for (int h = 0; h < 24; h++)
        {
            // Evening listening favours streams, likes and follows; commute hours favour clicks.
            double evening = c.HourEffect * Math.Cos(2 * Math.PI * (h - 20) / 24);
            double commute = 0.5 * c.HourEffect * Math.Cos(2 * Math.PI * (h - 8) / 24);
            hourEffects[h] = [evening, commute, evening, evening];
        }

        return new WorldCoefficients
        {
            Genres = genres,
            GenrePopularity = genrePopularity,
            Topics = topicNames,
            Countries = Catalog.Countries,
            AgeBuckets = Catalog.AgeBuckets,
            Devices = Catalog.Devices,
            SessionStates = Catalog.SessionStates,
            HourProfile = Catalog.HourProfile,
            GenreCentroids = centroids,
            TopicVectors = topicVectors,
            EmbeddingProjection = projection,
            Slots = slots.ToArray(),
            ModalityAttention = [c.AudioAttention, c.VideoAttention, c.DisplayAttention],
            TaskAffinity =
            [
                [1.0, c.PromoClickAffinityWeight, c.LikeAffinityWeight, c.FollowAffinityWeight],
                [1.0, c.AdClickAffinityWeight, c.LikeAffinityWeight, c.FollowAffinityWeight],
            ],
            SessionEffects = Table(ref rng, Catalog.SessionStates.Length, c.ChannelEffectSd),
            HourEffects = hourEffects,
            CountryEffects = Table(ref rng, Catalog.Countries.Length, c.DemographicEffectSd),
            AgeEffects = Table(ref rng, Catalog.AgeBuckets.Length, c.DemographicEffectSd),
            DeviceEffects = Table(ref rng, Catalog.Devices.Length, c.DemographicEffectSd),
            AdReceptivenessAge = ReceptivenessMeans(c, Catalog.AgeBuckets.Length, 0),
            AdReceptivenessDevice = ReceptivenessMeans(c, Catalog.Devices.Length, 1),
            LikeQualityWeight = 0.3,
            FollowedPenalty = -2.5,
            CreativeFollowShare = 0.5,
            Intercepts = [[0, 0, 0, 0], [0, 0, 0, 0]],
        };
    }

    /// <summary>Per age bucket (part 0) or device (part 1): a mean ad receptiveness, from its own random stream.</summary>
    private static double[] ReceptivenessMeans(WorldConfig c, int count, int part)
    {
        var rng = new Rng(c.Seed, Rng.Stream(ReceptivenessStream, (long)part));
        var means = new double[count];
        for (int i = 0; i < count; i++) means[i] = c.AdReceptivenessDemographicSd * rng.Normal();
        return means;
    }

    /// <summary>Each user's ad receptiveness: the means of their age bucket and device plus an own part (its own stream).</summary>
    private static void DrawAdReceptiveness(WorldConfig c, WorldCoefficients co, UserTable users)
    {
        var rng = new Rng(c.Seed, Rng.Stream(ReceptivenessStream, 2));
        users.AdReceptiveness = new float[users.Count];
        for (int u = 0; u < users.Count; u++)
            users.AdReceptiveness[u] = (float)(co.AdReceptivenessAge[users.Age[u]] + co.AdReceptivenessDevice[users.Device[u]] + c.AdReceptivenessSd * rng.Normal());
    }

    private static ShowTable BuildShows(WorldConfig c, WorldCoefficients co)
    {
        var rng = new Rng(c.Seed, Rng.Stream(ShowStream));
        int n = c.Shows, k = c.LatentDim, e = c.EmbeddingDim;
        int topicCount = co.Topics.Length;
        var shows = new ShowTable
        {
            Count = n,
            Genre = new int[n],
            Topics = new int[n][],
            Latent = new float[n * k],
            Embedding = new float[n][],
            Quality = new double[n],
            BaseStreams = new double[n],
            LaunchDay = new int[n],
            Cadence = new int[n],
        };

        // Exactly round(NewShowShare * n) shows launch inside the window (at least one exists before); which ones is random.
        int newCount = Math.Min(n - 1, (int)Math.Round(c.NewShowShare * n));
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < newCount; i++)
        {
            int j = rng.NextInt(i, n);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var isNew = new bool[n];
        for (int i = 0; i < newCount; i++) isNew[order[i]] = true;

        int[] cadences = [1, 3, 7, 7, 7, 14, 30];
        var latent = new double[k];
        var topicBuf = new List<int>(4);
        for (int s = 0; s < n; s++)
        {
            int g = rng.Pick(co.GenrePopularity);
            shows.Genre[s] = g;
            int want = 2 + rng.NextInt(3);
            topicBuf.Clear();
            for (int tries = 0; topicBuf.Count < want && tries < 20; tries++)
            {
                bool own = c.SharedTopics == 0 || rng.Chance(0.75);
                int t = own ? g * c.TopicsPerGenre + rng.NextInt(c.TopicsPerGenre) : c.Genres * c.TopicsPerGenre + rng.NextInt(c.SharedTopics);
                if (!topicBuf.Contains(t)) topicBuf.Add(t);
            }
            shows.Topics[s] = topicBuf.ToArray();

            // Latent vector near the genre centroid, pulled towards the show's topics.
            for (int i = 0; i < k; i++)
            {
                double tv = 0;
                foreach (int t in topicBuf) tv += co.TopicVectors[t][i];
                latent[i] = co.GenreCentroids[g][i] + c.TopicLatentWeight * tv / topicBuf.Count + c.ShowLatentNoise * rng.Normal();
                shows.Latent[s * k + i] = (float)latent[i];
            }
            // What a content encoder would give: a noisy projection of the latent vector.
            var emb = new float[e];
            for (int j = 0; j < e; j++)
            {
                double v = 0;
                for (int i = 0; i < k; i++) v += shows.Latent[s * k + i] * co.EmbeddingProjection[i][j];
                emb[j] = (float)(v + c.EmbeddingNoise * rng.Normal());
            }
            shows.Embedding[s] = emb;

            // Power-law popularity: Pareto(min, alpha) via exp(E / alpha), E ~ Exp(1); quality correlates with it.
            double ex = rng.Exponential();
            shows.BaseStreams[s] = Math.Min(c.PopularityMaxStreams, c.PopularityMinStreams * Math.Exp(ex / c.PopularityTailExponent));
            double rho = c.PopularityQualityCorrelation;
            shows.Quality[s] = rho * (ex - 1) + Math.Sqrt(1 - rho * rho) * rng.Normal();

            shows.LaunchDay[s] = isNew[s] ? rng.NextInt(c.Days) : -1 - (int)Math.Min(5000, rng.Exponential() * 400);
            shows.Cadence[s] = cadences[rng.NextInt(cadences.Length)];
        }
        return shows;
    }

    /// <summary>
    /// Platform listening per show and day (the log is only a sample of the platform): Poisson draws around
    /// the show's steady-state rate, ramping up after launch. Tiers come from the 30 days before each day.
    /// </summary>
    private static void BuildListening(WorldConfig c, ShowTable shows)
    {
        var rng = new Rng(c.Seed, Rng.Stream(ListeningStream));
        int n = shows.Count, days = c.Days, span = days + 30;
        shows.DailyStreams = new int[n * span];
        shows.Streams30 = new long[n * days];
        shows.Tier = new byte[n * days];
        for (int s = 0; s < n; s++)
        {
            double perDay = shows.BaseStreams[s] / 30;
            for (int j = 0; j < span; j++)
            {
                int age = j - 30 - shows.LaunchDay[s];
                double ramp = age < 0 ? 0 : 1 - Math.Exp(-(age + 1) / c.LaunchRampDays);
                shows.DailyStreams[s * span + j] = (int)Math.Min(int.MaxValue, rng.Poisson(perDay * ramp));
            }
            long sum = 0;
            for (int j = 0; j < 30; j++) sum += shows.DailyStreams[s * span + j];
            for (int d = 0; d < days; d++)
            {
                shows.Streams30[s * days + d] = sum;
                shows.Tier[s * days + d] = (byte)TierOf(sum, c.TierThresholds);
                sum += shows.DailyStreams[s * span + d + 30] - shows.DailyStreams[s * span + d];
            }
        }
    }

    public static int TierOf(long streams30, IReadOnlyList<long> thresholds)
    {
        for (int t = 0; t < thresholds.Count; t++)
            if (streams30 >= thresholds[t]) return t;
        return thresholds.Count;
    }

    private static UserTable BuildUsers(WorldConfig c, WorldCoefficients co, ShowTable shows)
    {
        var rng = new Rng(c.Seed, Rng.Stream(UserStream));
        int n = c.Users, k = c.LatentDim;
        var users = new UserTable
        {
            Count = n,
            Country = new byte[n],
            Age = new byte[n],
            Device = new byte[n],
            Activity = new float[n],
            Minutes = new float[n],
            Latent = new float[n * k],
            History = new int[n][],
            Followed = new int[n],
            TasteGenres = new int[n][],
            TasteWeights = new float[n][],
        };

        // Listening histories come from shows that exist before the window, by genre, favouring popular ones.
        var byGenre = new WeightedTable[c.Genres];
        for (int g = 0; g < c.Genres; g++) byGenre[g] = new WeightedTable();
        var all = new WeightedTable();
        for (int s = 0; s < shows.Count; s++)
        {
            if (shows.LaunchDay[s] >= 0) continue;
            double w = Math.Pow(shows.BaseStreams[s], c.HistoryPopularityExponent);
            byGenre[shows.Genre[s]].Add(s, w);
            all.Add(s, w);
        }

        var history = new List<int>(c.HistoryMax);
        var tasteG = new List<int>(c.MaxUserGenres);
        for (int u = 0; u < n; u++)
        {
            users.Country[u] = (byte)rng.Pick(Catalog.CountryWeights);
            users.Age[u] = (byte)rng.Pick(Catalog.AgeWeights);
            users.Device[u] = (byte)rng.Pick(Catalog.DeviceWeights);
            double activity = Math.Exp(0.8 * rng.Normal() - 0.32);
            users.Activity[u] = (float)activity;
            users.Minutes[u] = (float)(activity * 600 * Math.Exp(0.3 * rng.Normal() - 0.045));

            // Taste: a mixture of one to MaxUserGenres genre clusters.
            int m = 1 + rng.NextInt(c.MaxUserGenres);
            tasteG.Clear();
            for (int tries = 0; tasteG.Count < m && tries < 50; tries++)
            {
                int g = rng.Pick(co.GenrePopularity);
                if (!tasteG.Contains(g)) tasteG.Add(g);
            }
            var weights = new float[tasteG.Count];
            double wsum = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)rng.Exponential();
                wsum += weights[i];
            }
            for (int i = 0; i < weights.Length; i++) weights[i] = (float)(weights[i] / wsum);
            users.TasteGenres[u] = tasteG.ToArray();
            users.TasteWeights[u] = weights;
            for (int i = 0; i < k; i++)
            {
                double v = 0;
                for (int j = 0; j < weights.Length; j++) v += weights[j] * co.GenreCentroids[tasteG[j]][i];
                users.Latent[u * k + i] = (float)(v + c.UserLatentNoise * rng.Normal());
            }

            // History: per entry, a genre from the taste (or anywhere), then the best of three popular
            // candidates by latent match plus Gumbel noise (a softmax choice).
            int length = (int)Math.Min(c.HistoryMax, 1 + rng.Poisson(Math.Max(0, c.HistoryMean - 1) * Math.Sqrt(activity)));
            history.Clear();
            for (int h = 0; h < length; h++)
            {
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    var table = rng.Chance(0.85) ? byGenre[tasteG[rng.Pick(weights)]] : all;
                    if (table.Count == 0) table = all;
                    int best = -1;
                    double bestScore = double.NegativeInfinity;
                    for (int cand = 0; cand < 3; cand++)
                    {
                        int s = table.Sample(ref rng);
                        if (s < 0) break;
                        double dot = 0;
                        for (int i = 0; i < k; i++) dot += users.Latent[u * k + i] * shows.Latent[s * k + i];
                        double score = c.AffinityLatentWeight * dot / k + c.QualityWeight * shows.Quality[s] + rng.Gumbel();
                        if (score > bestScore)
                        {
                            bestScore = score;
                            best = s;
                        }
                    }
                    if (best >= 0 && !history.Contains(best))
                    {
                        history.Add(best);
                        break;
                    }
                }
            }
            users.History[u] = history.ToArray();
            int followed = 0;
            for (int h = 0; h < history.Count; h++)
                if (rng.Chance(c.FollowShare)) followed++;
            users.Followed[u] = followed;
        }
        return users;
    }

    private static AdTable BuildCampaigns(WorldConfig c, ShowTable shows)
    {
        var rng = new Rng(c.Seed, Rng.Stream(CampaignStream));
        int n = c.Campaigns;
        var ads = new AdTable
        {
            CampaignCount = n,
            CampaignShow = new int[n],
            CampaignStart = new int[n],
            CampaignEnd = new int[n],
            CampaignBidMultiplier = new double[n],
            CampaignBudget = new double[n],
            CampaignSpent = new double[n],
        };
        var showTable = new WeightedTable();
        for (int s = 0; s < shows.Count; s++) showTable.Add(s, Math.Pow(shows.BaseStreams[s], c.CampaignPopularityExponent));

        double[] formatMix = c.Scenario == Scenario.Camoe ? [0.75, 0.25, 0] : [0.6, 0.15, 0.25];
        double[] cpm = [c.AudioCpm, c.VideoCpm, c.DisplayCpm];
        var crCampaign = new List<int>();
        var crModality = new List<byte>();
        var crFormat = new List<string>();
        var crBid = new List<float>();
        var crClick = new List<double>();
        var crStream = new List<double>();
        var meanCost = new double[n];
        var weight = new double[n];
        for (int cp = 0; cp < n; cp++)
        {
            int s = showTable.Sample(ref rng);
            ads.CampaignShow[cp] = s;
            int launch = shows.LaunchDay[s];
            // Shows launched in the window get launch campaigns; others start anywhere from two weeks before the window.
            int start = launch >= 0 ? launch + rng.NextInt(8) : rng.NextInt(-14, c.Days - 3);
            start = Math.Min(Math.Max(start, launch), c.Days - 1);
            int duration = rng.NextInt(c.CampaignMinDays, c.CampaignMaxDays + 1);
            ads.CampaignStart[cp] = start;
            ads.CampaignEnd[cp] = start + duration;
            double bidMultiplier = Math.Exp(0.35 * rng.Normal() - 0.06);
            ads.CampaignBidMultiplier[cp] = bidMultiplier;

            int creatives = 1 + rng.NextInt(c.MaxCreativesPerCampaign);
            double costSum = 0;
            for (int i = 0; i < creatives; i++)
            {
                int m = rng.Pick(formatMix);
                var formats = Catalog.AdFormats[m];
                float bid = (float)(cpm[m] * bidMultiplier);
                crCampaign.Add(cp);
                crModality.Add((byte)m);
                crFormat.Add(formats[rng.NextInt(formats.Length)]);
                crBid.Add(bid);
                crClick.Add(c.CreativeClickEffectSd * rng.Normal());
                crStream.Add(c.CreativeStreamEffectSd * rng.Normal());
                costSum += bid / 1000.0 * Simulator.MeanClearing;
            }
            meanCost[cp] = costSum / creatives;
            int activeDays = Math.Max(0, Math.Min(start + duration, c.Days) - Math.Max(start, 0));
            weight[cp] = bidMultiplier * activeDays;
        }

        // Budgets: about BudgetFactor times the campaign's fair share of the ad traffic at its own price.
        double totalWeight = weight.Sum();
        double adImpressions = c.Impressions * c.AdShare;
        for (int cp = 0; cp < n; cp++)
        {
            double fair = totalWeight > 0 ? adImpressions * weight[cp] / totalWeight : 0;
            ads.CampaignBudget[cp] = Math.Round(c.BudgetFactor * fair * meanCost[cp] * Math.Exp(0.5 * rng.Normal() - 0.125), 2) + 1;
        }

        ads.CreativeCount = crCampaign.Count;
        ads.CreativeCampaign = crCampaign.ToArray();
        ads.CreativeModality = crModality.ToArray();
        ads.CreativeFormat = crFormat.ToArray();
        ads.CreativeBidCpm = crBid.ToArray();
        ads.CreativeClickEffect = crClick.ToArray();
        ads.CreativeStreamEffect = crStream.ToArray();
        return ads;
    }
}
