namespace Crossfeed.Simulation;

/// <summary>The four outcomes the world draws for every impression.</summary>
public enum Outcome
{
    Stream,
    Click,
    Like,
    Follow,
}
