namespace Crossfeed.Simulation;

/// <summary>True probabilities of the four outcomes of an exposure.</summary>
public readonly record struct OutcomeProbabilities(double Stream, double Click, double Like, double Follow)
{
    public double this[Outcome outcome] => outcome switch
    {
        Outcome.Stream => Stream,
        Outcome.Click => Click,
        Outcome.Like => Like,
        _ => Follow,
    };
}
