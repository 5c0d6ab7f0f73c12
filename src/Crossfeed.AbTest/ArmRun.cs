using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>
/// One arm over one replay: its half of every budget, paced evenly over the campaign's remaining test days,
/// its frequency caps and promotion caps, and the impressions it served. Outcomes are drawn from the world's
/// true probabilities with the replay's common random numbers.
/// </summary>
internal sealed class ArmRun(World world, AbTestOptions options, IArmPolicy policy, int seed, int firstDay)
{
    private readonly double[] _half = Budgets.Halves(world, options, firstDay);
    private readonly double[] _spent = new double[world.CampaignCount];
    private readonly double[] _spentToday = new double[world.CampaignCount];
    private readonly double[] _capToday = new double[world.CampaignCount];
    private readonly Dictionary<long, int> _adSeen = [];
    private readonly Dictionary<long, int> _promoSeen = [];
    private readonly int[] _promotedToday = new int[world.ShowCount];

    public List<Served> Impressions { get; } = [];

    public int Unfilled { get; private set; }

    /// <summary>Largest spend of one campaign over its half budget (0 or negative: no overspend).</summary>
    public double MaxOverspend => Enumerable.Range(0, _half.Length).Select(k => _spent[k] - _half[k]).DefaultIfEmpty(0).Max();

    public double TotalBudget => _half.Sum();

    public void Day(int d, Visit[] visits)
    {
        int day = firstDay + d;
        int lastDay = firstDay + options.Days;
        for (int k = 0; k < _half.Length; k++)
        {
            var cp = world.Campaign(k);
            int left = Budgets.ActiveDays(cp, day, lastDay);
            _capToday[k] = VisitPlan.Runs(cp, day) && left > 0 ? (_half[k] - _spent[k]) / left : 0;
            _spentToday[k] = 0;
        }
        Array.Clear(_promotedToday);
        int promoCap = Math.Max(1, (int)Math.Floor(options.PromoShowDailyShare * visits.Length));
        var candidates = new List<int>();
        var exposures = new List<int>();
        foreach (var v in visits)
        {
            candidates.Clear();
            exposures.Clear();
            foreach (int id in v.Pool)
            {
                if (v.IsAd)
                {
                    var cr = world.Creative(id);
                    double cost = Cost(cr, v);
                    if (_spentToday[cr.CampaignId] + cost > _capToday[cr.CampaignId] || _spent[cr.CampaignId] + cost > _half[cr.CampaignId]) continue;
                    int seen = _adSeen.GetValueOrDefault(AdKey(v.User, cr.CampaignId));
                    if (seen >= options.FrequencyCap) continue;
                    exposures.Add(seen);
                }
                else if (_promotedToday[id] >= promoCap || _promoSeen.GetValueOrDefault(PromoKey(v.User, id)) >= options.FrequencyCap)
                {
                    continue;
                }
                candidates.Add(id);
            }
            if (candidates.Count == 0)
            {
                Unfilled++;
                continue;
            }
            int pick = policy.Choose(v, seed, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(exposures));
            Serve(v, candidates[pick], v.IsAd ? exposures[pick] : 0);
        }
    }

    private void Serve(Visit v, int id, int exposures)
    {
        var p = Outcomes.Probabilities(world, v, id, exposures);
        bool stream = Outcomes.Draw(seed, v, id, 0) < p.Stream;
        bool click = Outcomes.Draw(seed, v, id, 1) < p.Click;
        int show = id;
        double cost = 0;
        byte modality = (byte)world.Slots[v.Slot].Modality;
        if (v.IsAd)
        {
            var cr = world.Creative(id);
            show = cr.ShowId;
            cost = Cost(cr, v);
            _spent[cr.CampaignId] += cost;
            _spentToday[cr.CampaignId] += cost;
            _adSeen[AdKey(v.User, cr.CampaignId)] = exposures + 1;
        }
        else
        {
            _promotedToday[id]++;
            long key = PromoKey(v.User, id);
            _promoSeen[key] = _promoSeen.GetValueOrDefault(key) + 1;
        }
        bool less = world.Streams30d(show, v.Day) < world.Config.LessStreamedThreshold;
        Impressions.Add(new Served(v.User, v.IsAd, (byte)world.Tier(show, v.Day), less, modality, stream, click, cost));
    }

    /// <summary>What an impression costs: the creative's bid per thousand times the visit's clearing factor (the same in both arms).</summary>
    private static double Cost(CreativeInfo cr, Visit v) => cr.BidCpm / 1000.0 * v.Clearing;

    private long AdKey(int user, int campaign) => (long)user * world.CampaignCount + campaign;

    private long PromoKey(int user, int show) => (long)user * world.ShowCount + show;
}
