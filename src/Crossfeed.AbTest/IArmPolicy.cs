namespace Crossfeed.AbTest;

/// <summary>How an arm decides: which of the eligible candidates fills a visit.</summary>
internal interface IArmPolicy
{
    string Name { get; }

    /// <summary>
    /// The index of the chosen candidate. For an ad opportunity <paramref name="candidates"/> are creative ids and
    /// <paramref name="exposures"/> the user's earlier impressions of each one's campaign in this arm; for a
    /// promotion slot they are show ids (exposures unused). <paramref name="seed"/> is the replay's.
    /// </summary>
    int Choose(Visit visit, int seed, ReadOnlySpan<int> candidates, ReadOnlySpan<int> exposures);
}
