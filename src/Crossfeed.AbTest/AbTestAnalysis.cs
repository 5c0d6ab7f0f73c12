using Crossfeed.Evaluation.Metrics;
using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>
/// Figures per segment and arm, relative changes, and their intervals: a user-level Poisson bootstrap
/// (each resample weighs every user of every replay by a Poisson(1) count, the same weight in both arms,
/// so the comparison stays paired) and, from two replays on, Student-t over the per-replay changes.
/// </summary>
internal static class AbTestAnalysis
{
    private const ulong BootstrapStream = 104;

    private static readonly string[] Modalities = ["audio", "video", "display"];

    public static IReadOnlyList<AbSegment> Segments(IReadOnlyList<(int Seed, List<Served> Control, List<Served> Treatment)> replays, int resamples)
    {
        var names = SegmentNames();
        int n = names.Count, seeds = replays.Count;
        // [segment][arm][seed] figures and [segment][arm][resample] pooled over seeds; 4 sums each.
        var perSeed = new double[n, 2, seeds, 4];
        var boot = new double[n, 2, resamples, 4];
        var slices = new List<int>(6);
        var weights = new Dictionary<(int, int), byte[]>();
        for (int k = 0; k < seeds; k++)
        {
            var (seed, control, treatment) = replays[k];
            for (int arm = 0; arm < 2; arm++)
            {
                foreach (var s in arm == 0 ? control : treatment)
                {
                    SlicesOf(s, slices);
                    var w = resamples > 0 ? Weights(weights, seed, s.User, resamples) : [];
                    double stream = s.Stream ? 1 : 0, click = s.Click ? 1 : 0;
                    foreach (int g in slices)
                    {
                        perSeed[g, arm, k, 0] += 1;
                        perSeed[g, arm, k, 1] += stream;
                        perSeed[g, arm, k, 2] += click;
                        perSeed[g, arm, k, 3] += s.Cost;
                        for (int b = 0; b < resamples; b++)
                        {
                            if (w[b] == 0) continue;
                            boot[g, arm, b, 0] += w[b];
                            boot[g, arm, b, 1] += w[b] * stream;
                            boot[g, arm, b, 2] += w[b] * click;
                            boot[g, arm, b, 3] += w[b] * s.Cost;
                        }
                    }
                }
            }
        }

        var result = new List<AbSegment>();
        for (int g = 0; g < n; g++)
        {
            var armSeed = new ArmFigures[2][];
            for (int arm = 0; arm < 2; arm++)
            {
                armSeed[arm] = new ArmFigures[seeds];
                for (int k = 0; k < seeds; k++) armSeed[arm][k] = new(perSeed[g, arm, k, 0], perSeed[g, arm, k, 1], perSeed[g, arm, k, 2], perSeed[g, arm, k, 3]);
            }
            var pooled = armSeed.Select(Pool).ToArray();
            if (pooled[0].Impressions == 0 && pooled[1].Impressions == 0) continue;
            var bootArms = new ArmFigures[2][];
            for (int arm = 0; arm < 2; arm++)
            {
                bootArms[arm] = new ArmFigures[resamples];
                for (int b = 0; b < resamples; b++) bootArms[arm][b] = new(boot[g, arm, b, 0], boot[g, arm, b, 1], boot[g, arm, b, 2], boot[g, arm, b, 3]);
            }
            var changes = new Dictionary<AbMetric, AbChange>();
            foreach (var m in Enum.GetValues<AbMetric>())
            {
                var point = Intervals.RelativeChange(pooled[1].Value(m), pooled[0].Value(m));
                var ci = resamples > 0
                    ? Intervals.PairedRelativeChange(bootArms[1].Select(f => f.Value(m)).ToList(), bootArms[0].Select(f => f.Value(m)).ToList())
                    : null;
                var acrossSeeds = seeds >= 2
                    ? Intervals.RelativeChangeAcrossSeeds(armSeed[1].Select(f => f.Value(m)).ToList(), armSeed[0].Select(f => f.Value(m)).ToList())
                    : null;
                changes[m] = new AbChange(point, ci?.Low, ci?.High, acrossSeeds?.Mean, acrossSeeds?.Low, acrossSeeds?.High);
            }
            result.Add(new AbSegment(names[g].Channel, names[g].Slice, pooled[0], pooled[1], changes));
        }
        return result;
    }

    private static ArmFigures Pool(ArmFigures[] seeds) =>
        new(seeds.Sum(f => f.Impressions), seeds.Sum(f => f.Streams), seeds.Sum(f => f.Clicks), seeds.Sum(f => f.Spend));

    /// <summary>Segment order: per channel (ads, promotions) all, less-streamed, rest, tiers 0-7, then (ads) the modalities.</summary>
    public static IReadOnlyList<(string Channel, string Slice)> SegmentNames()
    {
        var names = new List<(string, string)>();
        foreach (var channel in new[] { "ads", "promotions" })
        {
            names.Add((channel, "all"));
            names.Add((channel, "less-streamed"));
            names.Add((channel, "rest"));
            for (int t = 0; t < 8; t++) names.Add((channel, $"tier {t}"));
            if (channel == "ads") names.AddRange(Modalities.Select(m => (channel, m)));
        }
        return names;
    }

    private static void SlicesOf(Served s, List<int> into)
    {
        into.Clear();
        int b = s.Ad ? 0 : 14;
        into.Add(b);
        into.Add(b + (s.LessStreamed ? 1 : 2));
        into.Add(b + 3 + s.Tier);
        if (s.Ad) into.Add(b + 11 + s.Modality);
    }

    /// <summary>Poisson(1) counts of one user in every resample, from a hash of (replay seed, user): fixed whatever the order.</summary>
    private static byte[] Weights(Dictionary<(int, int), byte[]> cache, int seed, int user, int resamples)
    {
        if (cache.TryGetValue((seed, user), out var w)) return w;
        w = new byte[resamples];
        var rng = new Rng(seed, Rng.Stream(BootstrapStream, user));
        for (int b = 0; b < resamples; b++) w[b] = PoissonOne(rng.NextDouble());
        cache[(seed, user)] = w;
        return w;
    }

    /// <summary>Inverse CDF of Poisson(1) at u.</summary>
    private static byte PoissonOne(double u)
    {
        double p = Math.Exp(-1), cdf = p;
        byte k = 0;
        while (u > cdf && k < 20)
        {
            k++;
            p /= k;
            cdf += p;
        }
        return k;
    }
}
