namespace Crossfeed.Core;

/// <summary>Checks MLP layer widths for the option records (the loader reports YAML keys before these run).</summary>
internal static class LayerWidths
{
    public static IReadOnlyList<int> Check(IReadOnlyList<int> widths, string name)
    {
        ArgumentNullException.ThrowIfNull(widths, name);
        if (widths.Any(w => w < 1)) throw new ArgumentOutOfRangeException(name, $"layer widths must be positive, got [{string.Join(", ", widths)}]");
        return widths;
    }
}
