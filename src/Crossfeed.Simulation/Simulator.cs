using System.Diagnostics;
using Crossfeed.Core;

namespace Crossfeed.Simulation;

/// <summary>Generates a podcast world and its impression log into a folder.</summary>
public static class Simulator
{
    /// <summary>Mean of the clearing-price factor: an impression costs bid_cpm / 1000 x U(0.55, 1).</summary>
    internal const double MeanClearing = 0.775;

    /// <summary>Rows per random stream: fixed, so results never depend on the number of cores.</summary>
    internal const int ChunkRows = 4096;

    /// <summary>The largest log the in-memory generator accepts.</summary>
    public const long MaxImpressions = 200_000_000;

    private const ulong TimeStream = 11;
    private const ulong RowStream = 12;
    private const ulong LabelStream = 13;
    private const ulong ListeningStream = 14;
    private const int InterceptSample = 200_000;

    /// <summary>
    /// Simulates the world of <paramref name="config"/> and writes impressions.parquet, the world's tables,
    /// world.json and dataset.yaml into <paramref name="outDir"/> (each file written under a temporary name
    /// and renamed). Same config => identical files' row values.
    /// </summary>
    public static SimulationSummary Run(WorldConfig config, string outDir, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return RunCore(config, outDir, null, progress, ct);
    }

    /// <summary>
    /// As <see cref="Run(WorldConfig, string, IProgress{double}?, CancellationToken)"/>, but the log is written as
    /// <paramref name="shards"/> Parquet files of whole days, impressions/part-00000.parquet onwards in time order
    /// (a log too big to handle as one file), and dataset.yaml reads that folder. The rows are those of the single
    /// file for the same config, in the same order; only the files differ.
    /// </summary>
    public static SimulationSummary Run(WorldConfig config, string outDir, int shards, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        // Checked before anything is written; a shard holds whole days, so there are at most Days of them.
        if (shards < 1 || shards > config.Days)
            throw new BadInputException($"shards must lie in [1, {config.Days}] (a shard holds whole days of the {config.Days}-day log; got {shards})");
        return RunCore(config, outDir, shards, progress, ct);
    }

    private static SimulationSummary RunCore(WorldConfig config, string outDir, int? shards, IProgress<double>? progress, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(outDir)) throw new BadInputException("out: give an output folder");
        var clock = Stopwatch.StartNew();
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new BadInputException($"{outDir}: cannot create the output folder ({e.Message})", e);
        }

        var world = WorldBuilder.Build(config);
        progress?.Report(0.05);
        var log = Generate(world, progress, ct);
        SolveIntercepts(world, log);
        DrawLabels(world, log, ct);
        progress?.Report(0.75);

        // The world's tables are written beside the (much larger) impression log, on another core.
        var tables = Task.Run(() => WorldStore.Save(world, outDir, ct).ToList(), ct);
        IReadOnlyList<string> logFiles;
        try
        {
            logFiles = WriteLog(world, log, outDir, shards, progress, ct);
        }
        catch
        {
            // Let the table writer finish or fail (and clean up its temporary file) before reporting.
            try
            {
                tables.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
            throw;
        }
        var files = tables.GetAwaiter().GetResult();
        files.AddRange(logFiles);
        progress?.Report(0.97);
        AtomicFile.WriteAllText(Path.Combine(outDir, DatasetYaml.FileName), DatasetYaml.Build(config, shards));
        files.Add(DatasetYaml.FileName);
        // The writers' row-group buffers are garbage now, and large arrays are only reclaimed by a full collection:
        // without one, the summary's ranking arrays (17 bytes per ranked row for each of its twelve oracle APs) come
        // on top of them and set the run's peak memory (10M impressions: 1.79 GB peak without this collection, 1.56 GB
        // with it). One blocking collection lets them reuse that space; it changes no value.
        GC.Collect();
        var summary = SummaryBuilder.Build(world, log, outDir, files);
        progress?.Report(1.0);
        return summary with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// Writes the log as impressions.parquet or as shards in impressions/, then removes the other layout's log left by
    /// an earlier run into the folder (so the folder never holds two logs of different worlds); returns the log's
    /// file names relative to <paramref name="outDir"/>.
    /// </summary>
    private static IReadOnlyList<string> WriteLog(World world, ImpressionLog log, string outDir, int? shards, IProgress<double>? progress, CancellationToken ct)
    {
        var single = Path.Combine(outDir, ImpressionWriter.FileName);
        var folder = Path.Combine(outDir, ImpressionWriter.ShardFolder);
        if (shards is not { } n)
        {
            ImpressionWriter.Write(single, world, log, ct);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            return [ImpressionWriter.FileName];
        }
        var names = ImpressionWriter.WriteShards(folder, world, log, n, f => progress?.Report(0.75 + 0.22 * f), ct);
        File.Delete(single);
        return names.Select(name => Path.Combine(ImpressionWriter.ShardFolder, name)).ToList();
    }

    /// <summary>Impressions per day: traffic grows slowly and lifts at weekends; split by largest remainder.</summary>
    internal static int[] DayCounts(WorldConfig c)
    {
        var w = new double[c.Days];
        double total = 0;
        for (int d = 0; d < c.Days; d++)
        {
            w[d] = (1 + c.DailyGrowth * d) * (DayOfWeek(c, d) >= 5 ? c.WeekendLift : 1);
            total += w[d];
        }
        var counts = new int[c.Days];
        var rest = new (double Frac, int Day)[c.Days];
        long assigned = 0;
        for (int d = 0; d < c.Days; d++)
        {
            double exact = c.Impressions * w[d] / total;
            counts[d] = (int)Math.Floor(exact);
            assigned += counts[d];
            rest[d] = (exact - counts[d], d);
        }
        Array.Sort(rest, (a, b) => a.Frac != b.Frac ? b.Frac.CompareTo(a.Frac) : a.Day.CompareTo(b.Day));
        for (int i = 0; assigned < c.Impressions; i++, assigned++) counts[rest[i % c.Days].Day]++;
        return counts;
    }

    /// <summary>0 = Monday .. 6 = Sunday.</summary>
    internal static int DayOfWeek(WorldConfig c, int day) => ((int)c.StartDate.DayOfWeek + 6 + day) % 7;

    internal static long DayMicros(WorldConfig c, int day) =>
        (DateTime.SpecifyKind(c.StartDate.Date, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10 + day * 86_400_000_000L;

    private static ImpressionLog Generate(World world, IProgress<double>? progress, CancellationToken ct)
    {
        var c = world.Config;
        var counts = DayCounts(c);
        var log = new ImpressionLog((int)c.Impressions, c.Days);
        for (int d = 0; d < c.Days; d++) log.DayStart[d + 1] = log.DayStart[d] + counts[d];
        var options = new ParallelOptions { CancellationToken = ct };

        // Timestamps first, sorted within each day, so rows are in time order as they are made.
        var hourCum = new double[24];
        double acc = 0;
        for (int h = 0; h < 24; h++) hourCum[h] = acc += world.Coefficients.HourProfile[h];
        Parallel.For(0, c.Days, options, d =>
        {
            var rng = new Rng(c.Seed, Rng.Stream(TimeStream, d));
            long start = DayMicros(c, d);
            int from = log.DayStart[d], to = log.DayStart[d + 1];
            for (int i = from; i < to; i++)
            {
                double u = rng.NextDouble() * acc;
                int h = 0;
                while (h < 23 && hourCum[h] <= u) h++;
                log.TsMicros[i] = start + h * 3_600_000_000L + (long)(rng.NextDouble() * 3_600_000_000.0);
            }
            Array.Sort(log.TsMicros, from, to - from);
            for (int i = from; i < to; i++)
            {
                log.Day[i] = (short)d;
                log.Hour[i] = (byte)((log.TsMicros[i] - start) / 3_600_000_000L);
            }
        });

        var state = new DayState(world);
        for (int d = 0; d < c.Days; d++)
        {
            ct.ThrowIfCancellationRequested();
            state.Prepare(d);
            int from = log.DayStart[d], to = log.DayStart[d + 1];
            int chunks = (to - from + ChunkRows - 1) / ChunkRows;
            Parallel.For(0, chunks, options, k =>
            {
                int a = from + k * ChunkRows;
                GenerateRows(world, state, log, d, a, Math.Min(to, a + ChunkRows));
            });
            // Spend is booked after the day, in row order, so budgets (and who runs tomorrow) are deterministic.
            var ads = world.Ads;
            for (int i = from; i < to; i++)
                if (log.Creative[i] >= 0) ads.CampaignSpent[ads.CreativeCampaign[log.Creative[i]]] += log.Cost[i];
            progress?.Report(0.05 + 0.55 * (d + 1) / c.Days);
        }
        CountExposures(world, log);
        int all = (log.Count + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, all, options, k =>
        {
            Span<double> z = stackalloc double[4];
            int to = Math.Min(log.Count, (k + 1) * ChunkRows);
            for (int i = k * ChunkRows; i < to; i++)
            {
                world.Offsets(log.User[i], log.Show[i], log.Slot[i], log.Hour[i], log.Session[i], log.Creative[i], log.Listening[i], log.Exposures[i], z);
                for (int t = 0; t < 4; t++) log.P[t][i] = z[t];
            }
        });
        progress?.Report(0.65);
        return log;
    }

    /// <summary>
    /// Each ad row's count of the user's earlier rows of the same campaign (rows are in time order). Counted without a
    /// table keyed by (user, campaign), which at tens of millions of ad rows holds about as many entries and would
    /// cost more memory than several of the log's columns: each user's ad rows are chained through
    /// <see cref="ImpressionLog.Exposures"/> itself (each row holds the user's previous ad row), then every chain is
    /// walked twice from its last row with one counter per campaign, counting the user's rows of each campaign, then
    /// counting them down so each row gets the number of rows before it. Same counts as a forward scan.
    /// </summary>
    private static void CountExposures(World world, ImpressionLog log)
    {
        var ads = world.Ads;
        var exposures = log.Exposures;
        var last = new int[world.UserCount];
        Array.Fill(last, -1);
        for (int i = 0; i < log.Count; i++)
        {
            if (log.Creative[i] < 0) continue;
            exposures[i] = last[log.User[i]];
            last[log.User[i]] = i;
        }
        var count = new int[ads.CampaignCount];
        foreach (int end in last)
        {
            for (int i = end; i >= 0; i = exposures[i]) count[ads.CreativeCampaign[log.Creative[i]]]++;
            for (int i = end; i >= 0;)
            {
                int previous = exposures[i];
                // After the decrement, the counter holds the user's rows of this campaign before row i.
                exposures[i] = --count[ads.CreativeCampaign[log.Creative[i]]];
                i = previous;
            }
        }
    }

    private static void GenerateRows(World world, DayState st, ImpressionLog log, int day, int from, int to)
    {
        var c = world.Config;
        var rng = new Rng(c.Seed, Rng.Stream(RowStream, day, from));
        var listenRng = new Rng(c.Seed, Rng.Stream(ListeningStream, day, from));
        var slots = world.Coefficients.Slots;
        for (int i = from; i < to; i++)
        {
            int u = st.Users.Sample(ref rng);
            int slot = -1, show = -1, creative = -1;
            double cost = 0;
            if (rng.Chance(c.AdShare))
            {
                int m = rng.Pick(st.ModalityShares);
                creative = st.PickCreative(ref rng, m, u);
                for (int f = 0; creative < 0 && f < 3; f++)
                {
                    // No inventory in that modality today: fall back to the others, by share.
                    int mm = st.ModalityOrder[f];
                    if (mm != m && st.ModalityShares[mm] > 0) creative = st.PickCreative(ref rng, mm, u);
                }
                if (creative >= 0)
                {
                    var ads = world.Ads;
                    m = ads.CreativeModality[creative];
                    slot = st.AdSlots[m][rng.Pick(st.AdSlotWeights[m])];
                    show = ads.CampaignShow[ads.CreativeCampaign[creative]];
                    cost = ads.CreativeBidCpm[creative] / 1000.0 * (0.55 + 0.45 * rng.NextDouble());
                }
            }
            if (creative < 0)
            {
                slot = st.PromoSlots[rng.Pick(st.PromoSlotWeights)];
                show = st.PickPromotedShow(ref rng, u);
            }
            int session = rng.Pick(st.SessionShares[slot]);

            int age = day - world.ShowsTable.LaunchDay[show];
            int episodes = age / world.ShowsTable.Cadence[show] + 1;
            int episode = rng.Chance(0.6) ? episodes : episodes - rng.NextInt(Math.Min(episodes, 10));

            log.Listening[i] = slots[slot].Surface == World.NowPlaying ? st.PickListening(ref listenRng, u) : -1;
            log.User[i] = u;
            log.Show[i] = show;
            log.Slot[i] = (byte)slot;
            log.Session[i] = (byte)session;
            log.Creative[i] = creative;
            log.Episode[i] = show * 1_000_000L + episode;
            log.Cost[i] = cost;
        }
    }

    /// <summary>
    /// Solves each (source, outcome) intercept so the mean probability over the log's rows of that source
    /// equals the configured base rate (safeguarded Newton on a deterministic subsample).
    /// </summary>
    private static void SolveIntercepts(World world, ImpressionLog log)
    {
        var c = world.Config;
        double[][] targets =
        [
            [c.PromoStreamRate, c.PromoClickRate, c.PromoLikeRate, c.PromoFollowRate],
            [c.AdStreamRate, c.AdClickRate, c.AdLikeRate, c.AdFollowRate],
        ];
        var slots = world.Coefficients.Slots;
        var intercepts = new double[2][];
        for (int src = 0; src < 2; src++)
        {
            var rows = new List<int>();
            int total = 0;
            for (int i = 0; i < log.Count; i++)
                if ((int)slots[log.Slot[i]].Source == src) total++;
            int stride = Math.Max(1, (total + InterceptSample - 1) / InterceptSample);
            int seen = 0;
            for (int i = 0; i < log.Count; i++)
            {
                if ((int)slots[log.Slot[i]].Source != src) continue;
                if (seen++ % stride == 0) rows.Add(i);
            }
            intercepts[src] = new double[4];
            var z = new double[rows.Count];
            for (int t = 0; t < 4; t++)
            {
                for (int r = 0; r < rows.Count; r++) z[r] = log.P[t][rows[r]];
                intercepts[src][t] = SolveIntercept(z, targets[src][t]);
            }
        }
        world.Coefficients.Intercepts = intercepts;
    }

    internal static double SolveIntercept(ReadOnlySpan<double> z, double target)
    {
        double logit = Math.Log(target / (1 - target));
        if (z.Length == 0) return logit;
        double mean = 0;
        foreach (double v in z) mean += v;
        mean /= z.Length;
        double lo = -60, hi = 60, b = Math.Clamp(logit - mean, lo, hi);
        for (int iter = 0; iter < 200; iter++)
        {
            double f = 0, d = 0;
            foreach (double v in z)
            {
                double p = 1.0 / (1.0 + Math.Exp(-(b + v)));
                f += p;
                d += p * (1 - p);
            }
            f = f / z.Length - target;
            d /= z.Length;
            if (Math.Abs(f) < 1e-12) break;
            if (f > 0) hi = b; else lo = b;
            double next = d > 0 ? b - f / d : double.NaN;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - b) < 1e-13) break;
            b = next;
        }
        return b;
    }

    /// <summary>Whether an outcome is logged for a source on a day (documented in docs/simulator.md).</summary>
    internal static bool Observable(WorldConfig c, Source source, Outcome outcome, int day) => source switch
    {
        Source.Promotion => true,
        _ => outcome switch
        {
            Outcome.Stream or Outcome.Click => true,
            Outcome.Like => false,
            _ => day >= c.EffectiveAdFollowFromDay,
        },
    };

    private static void DrawLabels(World world, ImpressionLog log, CancellationToken ct)
    {
        var c = world.Config;
        var slots = world.Coefficients.Slots;
        int chunks = (log.Count + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, k =>
        {
            var rng = new Rng(c.Seed, Rng.Stream(LabelStream, k));
            int from = k * ChunkRows, to = Math.Min(log.Count, from + ChunkRows);
            for (int i = from; i < to; i++)
            {
                var source = slots[log.Slot[i]].Source;
                for (int t = 0; t < 4; t++)
                {
                    double p = world.Probability((int)source, t, log.P[t][i]);
                    double u = rng.NextDouble();
                    log.P[t][i] = p;
                    log.Label[t][i] = Observable(c, source, (Outcome)t, log.Day[i]) ? (sbyte)(u < p ? 1 : 0) : (sbyte)-1;
                }
            }
        });
    }

    /// <summary>Per-day sampling tables: live shows for the promotion policy, running creatives for ads.</summary>
    private sealed class DayState
    {
        private readonly World _world;
        private readonly WeightedTable _promoAll = new();
        private readonly WeightedTable[] _promoByGenre;
        private readonly int[] _live;
        private int _liveCount;
        private readonly WeightedTable[] _adByModality = [new(), new(), new()];
        private readonly WeightedTable[][] _adByModalityGenre;

        public DayState(World world)
        {
            _world = world;
            var c = world.Config;
            int genres = world.GenreCount;
            _promoByGenre = new WeightedTable[genres];
            for (int g = 0; g < genres; g++) _promoByGenre[g] = new WeightedTable();
            _adByModalityGenre = new WeightedTable[3][];
            for (int m = 0; m < 3; m++)
            {
                _adByModalityGenre[m] = new WeightedTable[genres];
                for (int g = 0; g < genres; g++) _adByModalityGenre[m][g] = new WeightedTable();
            }
            _live = new int[world.ShowCount];
            for (int u = 0; u < world.UserCount; u++) Users.Add(u, world.UsersTable.Activity[u]);

            ModalityShares = [c.AdAudioShare, c.AdVideoShare, c.AdDisplayShare];
            ModalityOrder = [0, 1, 2];
            Array.Sort(ModalityOrder, (a, b) => ModalityShares[b] != ModalityShares[a] ? ModalityShares[b].CompareTo(ModalityShares[a]) : a.CompareTo(b));
            var slots = world.Coefficients.Slots;
            PromoSlots = world.PromoSlots.ToArray();
            PromoSlotWeights = PromoSlots.Select(i => slots[i].Weight).ToArray();
            AdSlots = new int[3][];
            AdSlotWeights = new double[3][];
            for (int m = 0; m < 3; m++)
            {
                AdSlots[m] = world.AdSlots(m).ToArray();
                AdSlotWeights[m] = AdSlots[m].Select(i => slots[i].Weight).ToArray();
            }
            SessionShares = slots.Select(s => s.SessionShares.ToArray()).ToArray();
        }

        public WeightedTable Users { get; } = new();

        public double[] ModalityShares { get; }

        public int[] ModalityOrder { get; }

        public int[] PromoSlots { get; }

        public double[] PromoSlotWeights { get; }

        public int[][] AdSlots { get; }

        public double[][] AdSlotWeights { get; }

        public double[][] SessionShares { get; }

        public void Prepare(int day)
        {
            var c = _world.Config;
            var shows = _world.ShowsTable;
            _promoAll.Clear();
            foreach (var t in _promoByGenre) t.Clear();
            _liveCount = 0;
            for (int s = 0; s < shows.Count; s++)
            {
                if (shows.LaunchDay[s] > day) continue;
                _live[_liveCount++] = s;
                // The logging policy favours what is already streamed on the platform.
                double w = Math.Pow(shows.Streams30[s * c.Days + day] + 100.0, c.PolicyPopularityExponent);
                _promoAll.Add(s, w);
                _promoByGenre[shows.Genre[s]].Add(s, w);
            }

            var ads = _world.Ads;
            foreach (var t in _adByModality) t.Clear();
            foreach (var row in _adByModalityGenre)
                foreach (var t in row) t.Clear();
            for (int cr = 0; cr < ads.CreativeCount; cr++)
            {
                int cp = ads.CreativeCampaign[cr];
                if (day < ads.CampaignStart[cp] || day >= ads.CampaignEnd[cp] || ads.CampaignSpent[cp] >= ads.CampaignBudget[cp]) continue;
                int m = ads.CreativeModality[cr];
                // The ad server picks in proportion to the bid.
                _adByModality[m].Add(cr, ads.CreativeBidCpm[cr]);
                _adByModalityGenre[m][shows.Genre[ads.CampaignShow[cp]]].Add(cr, ads.CreativeBidCpm[cr]);
            }
        }

        /// <summary>Promotion logging policy: exploration (uniform over live shows), else popularity, half the time within a genre of the user's history.</summary>
        public int PickPromotedShow(ref Rng rng, int user)
        {
            var c = _world.Config;
            if (rng.Chance(c.PromoExploration)) return _live[rng.NextInt(_liveCount)];
            if (rng.Chance(c.PolicyPersonalization))
            {
                int g = HistoryGenre(ref rng, user);
                if (g >= 0 && _promoByGenre[g].Count > 0) return _promoByGenre[g].Sample(ref rng);
            }
            return _promoAll.Sample(ref rng);
        }

        /// <summary>The show a user is playing: one from their history ListeningFromHistory of the time, else a live show by popularity.</summary>
        public int PickListening(ref Rng rng, int user)
        {
            var history = _world.UsersTable.History[user];
            if (history.Length > 0 && rng.Chance(_world.Config.ListeningFromHistory)) return history[rng.NextInt(history.Length)];
            return _promoAll.Sample(ref rng);
        }

        /// <summary>Ad server: a running creative of the modality by bid, targeted to a history genre AdTargeting of the time.</summary>
        public int PickCreative(ref Rng rng, int modality, int user)
        {
            if (rng.Chance(_world.Config.AdTargeting))
            {
                int g = HistoryGenre(ref rng, user);
                if (g >= 0 && _adByModalityGenre[modality][g].Count > 0) return _adByModalityGenre[modality][g].Sample(ref rng);
            }
            return _adByModality[modality].Sample(ref rng);
        }

        private int HistoryGenre(ref Rng rng, int user)
        {
            int genres = _world.GenreCount;
            var share = _world.UsersTable.GenreShare.AsSpan(user * genres, genres);
            if (_world.UsersTable.History[user].Length == 0) return -1;
            return rng.Pick(share);
        }
    }
}
