using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>Decides with the world's true probabilities: stream probability times bid for ads, stream probability for promotions.</summary>
internal sealed class OraclePolicy(World world) : IArmPolicy
{
    public string Name => "oracle";

    public int Choose(Visit visit, int seed, ReadOnlySpan<int> candidates, ReadOnlySpan<int> exposures)
    {
        var ids = candidates.ToArray();
        var seen = exposures.ToArray();
        return Choice.ArgMax(ids.Length, i => visit.IsAd
            ? Outcomes.Probabilities(world, visit, ids[i], seen[i]).Stream * world.Creative(ids[i]).BidCpm
            : Outcomes.Probabilities(world, visit, ids[i], 0).Stream);
    }
}
