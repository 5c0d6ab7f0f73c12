using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>
/// Draws the visits of one replay from the world: users in proportion to their activity, the channel by the
/// world's ad share, the slot, session, hour and listened show as the simulator draws them, and each visit's
/// candidate pool. Everything comes from random streams keyed by (seed, day, visit), so both arms see the
/// same visits whatever they decide.
/// </summary>
internal static class VisitPlan
{
    private const ulong VisitStream = 101;

    public static Visit[][] Draw(World world, AbTestOptions o, int seed, int firstDay)
    {
        var c = world.Config;
        var users = new WeightedTable();
        for (int u = 0; u < world.UserCount; u++) users.Add(u, world.UserActivity(u));
        var hours = world.Coefficients.HourProfile;
        double[] modalityShares = [c.AdAudioShare, c.AdVideoShare, c.AdDisplayShare];
        var adSlots = Enumerable.Range(0, 3).Select(m => world.AdSlots(m).ToArray()).ToArray();
        var adSlotWeights = adSlots.Select(slots => slots.Select(i => world.Slots[i].Weight).ToArray()).ToArray();
        var promoSlots = world.PromoSlots.ToArray();
        var promoSlotWeights = promoSlots.Select(i => world.Slots[i].Weight).ToArray();
        var sessionShares = world.Slots.Select(x => x.SessionShares.ToArray()).ToArray();
        var creatives = Enumerable.Range(0, world.CreativeCount).Select(world.Creative).ToArray();
        var visits = new Visit[o.Days][];
        for (int d = 0; d < o.Days; d++)
        {
            int day = firstDay + d;
            var live = Enumerable.Range(0, world.ShowCount).Where(s => world.IsLive(s, day)).ToArray();
            var popular = new WeightedTable();
            foreach (int s in live) popular.Add(s, Math.Pow(world.Streams30d(s, day) + 100.0, c.PolicyPopularityExponent));
            var running = new int[3][];
            for (int m = 0; m < 3; m++)
                running[m] = creatives.Where(cr => (int)cr.Modality == m && Runs(world.Campaign(cr.CampaignId), day)).Select(cr => cr.CreativeId).ToArray();
            var today = new Visit[o.Traffic];
            for (int v = 0; v < o.Traffic; v++)
            {
                var rng = new Rng(seed, Rng.Stream(VisitStream, day, v));
                int user = users.Sample(ref rng);
                int hour = rng.Pick(hours);
                bool ad = rng.Chance(c.AdShare);
                int modality = ad ? rng.Pick(modalityShares) : -1;
                if (ad && running[modality].Length == 0) ad = false; // no inventory in that modality today: a promotion slot
                int slot;
                int[] pool;
                if (ad)
                {
                    slot = adSlots[modality][rng.Pick(adSlotWeights[modality])];
                    pool = Subset(ref rng, running[modality], o.AdCandidates);
                }
                else
                {
                    slot = promoSlots[rng.Pick(promoSlotWeights)];
                    pool = Promotions(ref rng, live, popular, o.PromoCandidates);
                }
                int session = rng.Pick(sessionShares[slot]);
                int listening = world.Slots[slot].Surface == World.NowPlaying ? Listening(ref rng, world, user, popular) : -1;
                today[v] = new Visit(v, user, day, hour, slot, session, listening, ad, pool, 0.55 + 0.45 * rng.NextDouble());
            }
            visits[d] = today;
        }
        return visits;
    }

    public static bool Runs(CampaignInfo c, int day) => day >= c.StartDay && day < c.EndDay;

    /// <summary>Up to n distinct items, uniformly (partial Fisher-Yates on a copy).</summary>
    private static int[] Subset(ref Rng rng, int[] items, int n)
    {
        if (items.Length <= n) return (int[])items.Clone();
        var copy = (int[])items.Clone();
        for (int i = 0; i < n; i++)
        {
            int j = rng.NextInt(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..n];
    }

    /// <summary>Half the pool by platform popularity, the rest uniformly over live shows, all distinct.</summary>
    private static int[] Promotions(ref Rng rng, int[] live, WeightedTable popular, int n)
    {
        n = Math.Min(n, live.Length);
        var pool = new HashSet<int>();
        for (int tries = 0; pool.Count < n / 2 && tries < 4 * n; tries++) pool.Add(popular.Sample(ref rng));
        for (int tries = 0; pool.Count < n && tries < 20 * n; tries++) pool.Add(live[rng.NextInt(live.Length)]);
        return pool.Order().ToArray();
    }

    private static int Listening(ref Rng rng, World world, int user, WeightedTable popular)
    {
        var history = world.UserHistory(user);
        if (history.Length > 0 && rng.Chance(world.Config.ListeningFromHistory)) return history[rng.NextInt(history.Length)];
        return popular.Sample(ref rng);
    }
}
