namespace Crossfeed.Simulation;

/// <summary>
/// Generates the log a day at a time, in day order, into blocks. One generator makes one pass over the log: it
/// carries what a day leaves for the next (what each campaign has spent, which decides who runs tomorrow, and each
/// running campaign's exposures per user), so the log can be generated again by a new generator, row for row, without
/// keeping it. Every random stream is keyed by day and by the log's row index, never by the block, so the rows do not
/// depend on how days are grouped into blocks or on the number of cores.
/// </summary>
internal sealed class LogGenerator
{
    private const ulong TimeStream = 11;
    private const ulong RowStream = 12;
    private const ulong ListeningStream = 14;

    private readonly World _world;
    private readonly long[] _dayStart;
    private readonly DayState _state;
    private readonly double[] _hourCum = new double[24];
    private readonly Dictionary<int, int>?[] _exposed;

    /// <param name="world">The world; its tables are only read.</param>
    /// <param name="dayStart">Rows of day d are [dayStart[d], dayStart[d + 1]) of the log.</param>
    public LogGenerator(World world, long[] dayStart)
    {
        _world = world;
        _dayStart = dayStart;
        Spent = new double[world.Ads.CampaignCount];
        _state = new DayState(world, Spent);
        _exposed = new Dictionary<int, int>?[world.Ads.CampaignCount];
        double acc = 0;
        for (int h = 0; h < 24; h++) _hourCum[h] = acc += world.Coefficients.HourProfile[h];
    }

    /// <summary>What each campaign has spent in the days generated so far.</summary>
    public double[] Spent { get; }

    /// <summary>
    /// Appends day <paramref name="day"/>'s rows to <paramref name="block"/> (the next day of this pass) and books their
    /// spend. <paramref name="full"/> also draws the timestamps (day, hour) and counts campaign exposures; without it only
    /// who, where and what are drawn, which is all that decides which rows are ads.
    /// </summary>
    public void AppendDay(ImpressionLog block, int day, bool full, CancellationToken ct)
    {
        long first = _dayStart[day];
        int count = (int)(_dayStart[day + 1] - first);
        if (block.First + block.Count != first) throw new InvalidOperationException($"day {day} starts at row {first}, not after the block's last row");
        int from = block.Grow(count), to = from + count;
        _state.Prepare(day);
        int chunks = (count + Simulator.ChunkRows - 1) / Simulator.ChunkRows;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, k =>
        {
            int a = from + k * Simulator.ChunkRows;
            GenerateRows(block, day, first + k * Simulator.ChunkRows, a, Math.Min(to, a + Simulator.ChunkRows));
        });
        // Spend is booked after the day, in row order, so budgets (and who runs tomorrow) are deterministic.
        var ads = _world.Ads;
        for (int i = from; i < to; i++)
            if (block.Creative[i] >= 0) Spent[ads.CreativeCampaign[block.Creative[i]]] += block.Cost[i];
        if (!full) return;
        DrawTimes(block, day, from, to);
        CountExposures(block, day, from, to);
    }

    /// <summary>Timestamps, sorted within the day, so rows are in time order as they are made.</summary>
    private void DrawTimes(ImpressionLog block, int day, int from, int to)
    {
        var c = _world.Config;
        var rng = new Rng(c.Seed, Rng.Stream(TimeStream, day));
        long start = Simulator.DayMicros(c, day);
        double acc = _hourCum[23];
        for (int i = from; i < to; i++)
        {
            double u = rng.NextDouble() * acc;
            int h = 0;
            while (h < 23 && _hourCum[h] <= u) h++;
            block.TsMicros[i] = start + h * 3_600_000_000L + (long)(rng.NextDouble() * 3_600_000_000.0);
        }
        Array.Sort(block.TsMicros, from, to - from);
        for (int i = from; i < to; i++)
        {
            block.Day[i] = (short)day;
            block.Hour[i] = (byte)((block.TsMicros[i] - start) / 3_600_000_000L);
        }
    }

    /// <summary>
    /// Each ad row's count of the user's earlier rows of the same campaign, by a forward scan in row order with one
    /// count per (running campaign, user). A campaign's counts are dropped on its end day, as no later row can be
    /// its, so what is kept is bounded by the campaigns running at once and their audiences, not by the log.
    /// </summary>
    private void CountExposures(ImpressionLog block, int day, int from, int to)
    {
        var ads = _world.Ads;
        for (int cp = 0; cp < _exposed.Length; cp++)
            if (_exposed[cp] is not null && ads.CampaignEnd[cp] <= day) _exposed[cp] = null;
        for (int i = from; i < to; i++)
        {
            int creative = block.Creative[i];
            if (creative < 0)
            {
                block.Exposures[i] = 0;
                continue;
            }
            var seen = _exposed[ads.CreativeCampaign[creative]] ??= [];
            ref int n = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(seen, block.User[i], out _);
            block.Exposures[i] = n++;
        }
    }

    /// <summary>Rows [a, b) of the block, the log's rows from <paramref name="firstRow"/> on (one random stream per chunk).</summary>
    private void GenerateRows(ImpressionLog log, int day, long firstRow, int a, int b)
    {
        var world = _world;
        var st = _state;
        var c = world.Config;
        var rng = new Rng(c.Seed, Rng.Stream(RowStream, day, firstRow));
        var listenRng = new Rng(c.Seed, Rng.Stream(ListeningStream, day, firstRow));
        var slots = world.Coefficients.Slots;
        for (int i = a; i < b; i++)
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

    /// <summary>Per-day sampling tables: live shows for the promotion policy, running creatives for ads.</summary>
    private sealed class DayState
    {
        private readonly World _world;
        private readonly double[] _spent;
        private readonly WeightedTable _promoAll = new();
        private readonly WeightedTable[] _promoByGenre;
        private readonly int[] _live;
        private int _liveCount;
        private readonly WeightedTable[] _adByModality = [new(), new(), new()];
        private readonly WeightedTable[][] _adByModalityGenre;

        public DayState(World world, double[] spent)
        {
            _world = world;
            _spent = spent;
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
                if (day < ads.CampaignStart[cp] || day >= ads.CampaignEnd[cp] || _spent[cp] >= ads.CampaignBudget[cp]) continue;
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
