namespace Crossfeed.Simulation;

internal static class AssemblyMarker
{
}
