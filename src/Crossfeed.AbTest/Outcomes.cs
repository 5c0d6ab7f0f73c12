using Crossfeed.Simulation;

namespace Crossfeed.AbTest;

/// <summary>True probabilities of a placement, and the common random numbers that turn them into outcomes.</summary>
internal static class Outcomes
{
    private const ulong OutcomeStream = 103;

    /// <summary>The world's probabilities of placing candidate <paramref name="id"/> (a creative for ads, a show for promotions) in the visit.</summary>
    public static OutcomeProbabilities Probabilities(World world, Visit visit, int id, int exposures)
    {
        int show = visit.IsAd ? world.Creative(id).ShowId : id;
        return world.Probabilities(new Exposure(visit.User, show, visit.Slot, visit.Day, visit.Hour, visit.Session,
            visit.IsAd ? id : -1, visit.Listening, visit.IsAd ? exposures : 0));
    }

    /// <summary>
    /// The uniform draw that decides outcome <paramref name="outcome"/> (0 stream, 1 click) of candidate
    /// <paramref name="id"/> in the visit: the same in both arms, so the same decision gives the same outcome.
    /// </summary>
    public static double Draw(int seed, Visit visit, int id, int outcome)
    {
        var rng = new Rng(seed, Rng.Stream(OutcomeStream, (long)visit.Day * 10_000_000 + visit.Index, (long)id * 4 + outcome + (visit.IsAd ? 2 : 0)));
        return rng.NextDouble();
    }
}
