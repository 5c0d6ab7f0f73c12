using Crossfeed.Core.Metrics;

namespace Crossfeed.Simulation;

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
        // One pair of buffers for every (label, source) oracle AP: growing lists and copying them for each of the
        // twelve would leave a few log columns' worth of garbage behind on a large log.
        var scores = new float[log.Count - testFrom];
        var labels = new float[log.Count - testFrom];
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
                int n = 0;
                long positives = 0;
                for (int i = testFrom; i < log.Count; i++)
                {
                    if (log.Label[t][i] < 0 || (src >= 0 && (int)slots[log.Slot[i]].Source != src)) continue;
                    scores[n] = (float)log.P[t][i];
                    labels[n++] = log.Label[t][i];
                    positives += log.Label[t][i];
                }
                if (n == 0) continue;
                double? ap = BinaryMetrics.AveragePrecision(scores.AsSpan(0, n), labels.AsSpan(0, n));
                oracle.Add(new OracleAp(label, src < 0 ? "all" : Catalog.SourceNames[src], n, positives, ap));
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
