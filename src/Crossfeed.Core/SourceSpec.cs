namespace Crossfeed.Core;

public sealed record SourceSpec(string Column, IReadOnlyList<string> Values)
{
    public int IndexOf(string value)
    {
        for (int i = 0; i < Values.Count; i++)
            if (Values[i] == value) return i;
        return -1;
    }
}
