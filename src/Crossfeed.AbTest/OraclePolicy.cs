using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>Decides with the world's true probabilities: stream probability times bid for ads, stream probability for promotions.</summary>
internal sealed class OraclePolicy(World world) : IArmPolicy
{
    public string Name => "oracle";

    public int Choose(Visit visit, int seed, ReadOnlySpan<int> candidates, ReadOnlySpan<int> exposures)
    {
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i < candidates.Length; i++)
        {
            double value = visit.IsAd
                ? Outcomes.Probabilities(world, visit, candidates[i], exposures[i]).Stream * world.Creative(candidates[i]).BidCpm
                : Outcomes.Probabilities(world, visit, candidates[i], 0).Stream;
            if (value > bestValue)
            {
                bestValue = value;
                best = i;
            }
        }
        return best;
    }
}
