namespace Crossfeed.Nn;

internal static class AssemblyMarker
{
}
