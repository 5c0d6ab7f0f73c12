using System.Globalization;
using Crossfeed.Core.Metrics;

namespace Crossfeed.Simulation;

/// <summary>Observed rate of one label in one source (rows where the label is logged).</summary>
public sealed record LabelRate(string Label, string Source, long Observed, long Positives, double Rate, double MeanProbability);

/// <summary>AP of the true probability against the label on the test days; Source "all" pools both.</summary>
public sealed record OracleAp(string Label, string Source, long N, long Positives, double? Ap);

/// <summary>What a simulation produced: volumes, label rates, oracle APs on the test days, shares. Plain data.</summary>
public sealed record SimulationSummary(
    string OutputDirectory,
    IReadOnlyList<string> Files,
    Scenario Scenario,
    int Seed,
    long Impressions,
    IReadOnlyDictionary<string, long> BySource,
    IReadOnlyDictionary<string, long> ByModality,
    IReadOnlyDictionary<string, long> BySlot,
    IReadOnlyList<long> ByTier,
    IReadOnlyList<LabelRate> Rates,
    int TestFromDay,
    IReadOnlyList<OracleAp> OracleAps,
    double LessStreamedAdShareTest,
    double NewShowShare,
    double ElapsedSeconds)
{
    /// <summary>Ad impressions per promotion impression.</summary>
    public double AdsPerPromotion =>
        BySource.GetValueOrDefault("promotion") == 0 ? double.PositiveInfinity : (double)BySource.GetValueOrDefault("ad") / BySource["promotion"];

    public LabelRate? Rate(string label, string source) => Rates.FirstOrDefault(r => r.Label == label && r.Source == source);

    public OracleAp? Oracle(string label, string source) => OracleAps.FirstOrDefault(r => r.Label == label && r.Source == source);

    /// <summary>A plain-text rendering, one line per item (no console code).</summary>
    public IReadOnlyList<string> ToLines()
    {
        var inv = CultureInfo.InvariantCulture;
        string Pct(double v) => (100 * v).ToString("0.00", inv) + "%";
        string Counts(IReadOnlyDictionary<string, long> d) => string.Join(", ", d.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", inv)} ({Pct((double)kv.Value / Math.Max(1, Impressions))})"));
        var lines = new List<string>
        {
            $"simulated {Scenario.ToString().ToLowerInvariant()} world, seed {Seed}: {Impressions.ToString("N0", inv)} impressions in {ElapsedSeconds.ToString("0.0", inv)} s -> {OutputDirectory}",
            $"files: {string.Join(", ", Files)}",
            $"by source: {Counts(BySource)}; ads per promotion {AdsPerPromotion.ToString("0.00", inv)}",
            $"by modality: {Counts(ByModality)}",
            $"by slot: {Counts(BySlot)}",
            $"by tier: {string.Join(", ", ByTier.Select((n, t) => $"{t}: {n.ToString("N0", inv)}"))}",
            $"shows launched during the window: {Pct(NewShowShare)}",
            $"ad impressions on less-streamed shows (< 5,000 streams/30d) in the test days: {Pct(LessStreamedAdShareTest)}",
            "label rates (observed rows, positive rate, mean true probability):",
        };
        foreach (var r in Rates)
            lines.Add($"  {r.Label,-7} {r.Source,-10} n {r.Observed.ToString("N0", inv),11}  rate {Pct(r.Rate),7}  mean p {Pct(r.MeanProbability),7}");
        lines.Add($"oracle AP on the test days (day >= {TestFromDay}):");
        foreach (var o in OracleAps)
            lines.Add($"  {o.Label,-7} {o.Source,-10} n {o.N.ToString("N0", inv),11}  positives {o.Positives.ToString("N0", inv),9}  AP {(o.Ap is { } ap ? ap.ToString("0.0000", inv) : "n/a")}");
        return lines;
    }
}

internal static class SummaryBuilder
{
    public static SimulationSummary Build(World world, ImpressionLog log, string outDir, IReadOnlyList<string> files)
    {
        var c = world.Config;
        var slots = world.Coefficients.Slots;
        var shows = world.ShowsTable;
        var bySource = new long[2];
        var byModality = new long[3];
        var bySlot = new long[slots.Length];
        var byTier = new long[8];
        long testAds = 0, testAdsLess = 0;
        for (int i = 0; i < log.Count; i++)
        {
            var slot = slots[log.Slot[i]];
            bySource[(int)slot.Source]++;
            byModality[(int)slot.Modality]++;
            bySlot[log.Slot[i]]++;
            int sd = log.Show[i] * c.Days + log.Day[i];
            byTier[shows.Tier[sd]]++;
            if (slot.Source == Source.Ad && log.Day[i] >= c.ValEndDay)
            {
                testAds++;
                if (shows.Streams30[sd] < c.LessStreamedThreshold) testAdsLess++;
            }
        }

        var rates = new List<LabelRate>();
        var oracle = new List<OracleAp>();
        int testFrom = log.DayStart[c.ValEndDay];
        for (int t = 0; t < 4; t++)
        {
            var label = Catalog.OutcomeNames[t];
            for (int src = 0; src < 2; src++)
            {
                long n = 0, pos = 0;
                double sumP = 0;
                for (int i = 0; i < log.Count; i++)
                {
                    if ((int)slots[log.Slot[i]].Source != src || log.Label[t][i] < 0) continue;
                    n++;
                    pos += log.Label[t][i];
                    sumP += log.P[t][i];
                }
                if (n > 0) rates.Add(new LabelRate(label, Catalog.SourceNames[src], n, pos, (double)pos / n, sumP / n));
            }
            foreach (int src in new[] { -1, 0, 1 })
            {
                var scores = new List<float>();
                var labels = new List<float>();
                for (int i = testFrom; i < log.Count; i++)
                {
                    if (log.Label[t][i] < 0 || (src >= 0 && (int)slots[log.Slot[i]].Source != src)) continue;
                    scores.Add((float)log.P[t][i]);
                    labels.Add(log.Label[t][i]);
                }
                if (scores.Count == 0) continue;
                double? ap = BinaryMetrics.AveragePrecision(scores.ToArray(), labels.ToArray());
                oracle.Add(new OracleAp(label, src < 0 ? "all" : Catalog.SourceNames[src], scores.Count, (long)labels.Sum(), ap));
            }
        }

        int newShows = shows.LaunchDay.Count(d => d >= 0);
        return new SimulationSummary(
            Path.GetFullPath(outDir),
            files,
            c.Scenario,
            c.Seed,
            log.Count,
            Enumerable.Range(0, 2).ToDictionary(s => Catalog.SourceNames[s], s => bySource[s]),
            Enumerable.Range(0, 3).ToDictionary(m => Catalog.ModalityNames[m], m => byModality[m]),
            Enumerable.Range(0, slots.Length).ToDictionary(s => slots[s].Name, s => bySlot[s]),
            byTier,
            rates,
            c.ValEndDay,
            oracle,
            testAds == 0 ? 0 : (double)testAdsLess / testAds,
            (double)newShows / shows.Count,
            ElapsedSeconds: 0);
    }
}
