using Crossfeed.Core.Metrics;

namespace Crossfeed.Simulation;

/// <summary>
/// The simulation's summary, gathered block by block as the log is generated (the log is never held): counts and label
/// rates exactly; the oracle APs on the test days from a histogram of the true probabilities (<see cref="ScoreBins"/>).
/// </summary>
internal sealed class SummaryBuilder(World world)
{
    /// <summary>
    /// The oracle AP's histogram: a float probability's bits from 2^-30 up, less their last 9 mantissa bits, so a bin is
    /// 2^-14 (0.006%) of its probabilities wide and probabilities closer than that tie. Below 2^-30 all share bin 0.
    /// 491,521 bins of two ints, for each of the eight (outcome, source) pairs: 31 MB at most, whatever the log's size.
    /// </summary>
    internal const int ScoreShift = 9;

    private static readonly int LowestBits = BitConverter.SingleToInt32Bits(1f / (1 << 30));
    internal static readonly int ScoreBins = ((BitConverter.SingleToInt32Bits(1f) - LowestBits) >> ScoreShift) + 1;

    private readonly WorldConfig _c = world.Config;
    private readonly SlotSpec[] _slots = world.Coefficients.Slots;
    private readonly long[] _bySource = new long[2];
    private readonly long[] _byModality = new long[3];
    private readonly long[] _bySlot = new long[world.Coefficients.Slots.Length];
    private readonly long[] _byTier = new long[8];
    private readonly long[,] _n = new long[4, 2];
    private readonly long[,] _positives = new long[4, 2];
    private readonly double[,] _sumP = new double[4, 2];
    private readonly (int[] Rows, int[] Positives)?[,] _bins = new (int[], int[])?[4, 2];
    private long _rows, _testAds, _testAdsLess;

    /// <summary>Bin of a probability: monotone in it.</summary>
    internal static int Bin(double p) => Math.Max(0, BitConverter.SingleToInt32Bits((float)p) - LowestBits) >> ScoreShift;

    /// <summary>Counts a filled block of the log.</summary>
    public void Add(ImpressionLog log)
    {
        var shows = world.ShowsTable;
        int days = _c.Days;
        for (int i = 0; i < log.Count; i++)
        {
            var slot = _slots[log.Slot[i]];
            int src = (int)slot.Source;
            _bySource[src]++;
            _byModality[(int)slot.Modality]++;
            _bySlot[log.Slot[i]]++;
            int sd = log.Show[i] * days + log.Day[i];
            _byTier[shows.Tier[sd]]++;
            bool test = log.Day[i] >= _c.ValEndDay;
            if (test && slot.Source == Source.Ad)
            {
                _testAds++;
                if (shows.Streams30[sd] < _c.LessStreamedThreshold) _testAdsLess++;
            }
            for (int t = 0; t < 4; t++)
            {
                int label = log.Label[t][i];
                if (label < 0) continue;
                _n[t, src]++;
                _positives[t, src] += label;
                _sumP[t, src] += log.P[t][i];
                if (!test) continue;
                var (rows, positives) = _bins[t, src] ??= (new int[ScoreBins], new int[ScoreBins]);
                int bin = Bin(log.P[t][i]);
                rows[bin]++;
                positives[bin] += label;
            }
        }
        _rows += log.Count;
    }

    public SimulationSummary Build(string outDir, IReadOnlyList<string> files)
    {
        var rates = new List<LabelRate>();
        var oracle = new List<OracleAp>();
        for (int t = 0; t < 4; t++)
        {
            var label = Catalog.OutcomeNames[t];
            for (int src = 0; src < 2; src++)
                if (_n[t, src] > 0)
                    rates.Add(new LabelRate(label, Catalog.SourceNames[src], _n[t, src], _positives[t, src], (double)_positives[t, src] / _n[t, src], _sumP[t, src] / _n[t, src]));
            foreach (int src in new[] { -1, 0, 1 })
            {
                var ap = OracleAp(t, src);
                if (ap is not null) oracle.Add(ap with { Label = label, Source = src < 0 ? "all" : Catalog.SourceNames[src] });
            }
        }

        var shows = world.ShowsTable;
        var slots = _slots;
        int newShows = shows.LaunchDay.Count(d => d >= 0);
        return new SimulationSummary(
            Path.GetFullPath(outDir),
            files,
            _c.Scenario,
            _c.Seed,
            _rows,
            Enumerable.Range(0, 2).ToDictionary(s => Catalog.SourceNames[s], s => _bySource[s]),
            Enumerable.Range(0, 3).ToDictionary(m => Catalog.ModalityNames[m], m => _byModality[m]),
            Enumerable.Range(0, slots.Length).ToDictionary(s => slots[s].Name, s => _bySlot[s]),
            _byTier,
            rates,
            _c.ValEndDay,
            oracle,
            _testAds == 0 ? 0 : (double)_testAdsLess / _testAds,
            (double)newShows / shows.Count,
            ElapsedSeconds: 0);
    }

    /// <summary>
    /// AP of the true probability on the test days for one outcome and source (-1: both), by the metric engine over
    /// one weighted row per bin and label: the exact AP of the probabilities rounded to their bins. Null without rows.
    /// </summary>
    private OracleAp? OracleAp(int t, int source)
    {
        var parts = (source < 0 ? new[] { _bins[t, 0], _bins[t, 1] } : [_bins[t, source]]).OfType<(int[] Rows, int[] Positives)>().ToList();
        if (parts.Count == 0) return null;
        var scores = new List<float>();
        var labels = new List<float>();
        var weights = new List<double>();
        long n = 0, positives = 0;
        for (int bin = 0; bin < ScoreBins; bin++)
        {
            long rows = 0, pos = 0;
            foreach (var (r, p) in parts)
            {
                rows += r[bin];
                pos += p[bin];
            }
            if (rows == 0) continue;
            float score = BitConverter.Int32BitsToSingle(LowestBits + (bin << ScoreShift));
            if (pos > 0) Add(score, 1, pos);
            if (rows > pos) Add(score, 0, rows - pos);
            n += rows;
            positives += pos;
        }
        if (n == 0) return null;
        var ap = BinaryMetrics.AveragePrecision(scores.ToArray(), labels.ToArray(), weights.ToArray());
        return new OracleAp("", "", n, positives, ap);

        void Add(float score, float label, long weight)
        {
            scores.Add(score);
            labels.Add(label);
            weights.Add(weight);
        }
    }
}
