namespace Crossfeed.Data;

internal static class AssemblyMarker
{
}
