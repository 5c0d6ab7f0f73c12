namespace Crossfeed.Simulation;

/// <summary>The channel of an impression.</summary>
public enum Source
{
    Promotion,
    Ad,
}
