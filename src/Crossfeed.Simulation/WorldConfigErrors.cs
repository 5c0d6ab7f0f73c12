using Crossfeed.Core;

namespace Crossfeed.Simulation;

internal static class WorldConfigErrors
{
    /// <summary>The error for a bad knob: its message starts with the knob's name.</summary>
    public static BadInputException Bad(string knob, string problem) => new($"{knob} {problem}");
}
