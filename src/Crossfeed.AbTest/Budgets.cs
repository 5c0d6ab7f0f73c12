using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>
/// Each campaign's budget for one arm: the world's budget for the campaign's days inside the test, scaled
/// from the log's traffic to the test's (both arms together), times BudgetScale, split in half.
/// </summary>
internal static class Budgets
{
    public static double[] Halves(World world, AbTestOptions o, int firstDay)
    {
        var c = world.Config;
        double trafficScale = 2.0 * o.Traffic / (c.Impressions / (double)c.Days);
        var halves = new double[world.CampaignCount];
        for (int k = 0; k < halves.Length; k++)
        {
            var cp = world.Campaign(k);
            int inTest = ActiveDays(cp, firstDay, firstDay + o.Days);
            if (inTest == 0) continue;
            halves[k] = 0.5 * cp.Budget * inTest / (cp.EndDay - cp.StartDay) * trafficScale * o.BudgetScale;
        }
        return halves;
    }

    /// <summary>The campaign's running days within [from, to).</summary>
    public static int ActiveDays(CampaignInfo cp, int from, int to) => Math.Max(0, Math.Min(cp.EndDay, to) - Math.Max(cp.StartDay, from));
}
