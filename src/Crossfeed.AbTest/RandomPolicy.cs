using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>Picks uniformly among the eligible candidates (the same pick in two random arms: a draw per visit).</summary>
internal sealed class RandomPolicy : IArmPolicy
{
    private const ulong PickStream = 102;

    public string Name => "random";

    public int Choose(Visit visit, int seed, ReadOnlySpan<int> candidates, ReadOnlySpan<int> exposures)
    {
        var rng = new Rng(seed, Rng.Stream(PickStream, visit.Day, visit.Index));
        return rng.NextInt(candidates.Length);
    }
}
