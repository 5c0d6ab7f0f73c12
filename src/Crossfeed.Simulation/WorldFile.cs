namespace Crossfeed.Simulation;

/// <summary>world.json: the config and every global coefficient of a world.</summary>
public sealed class WorldFile
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public WorldConfig Config { get; init; } = new();

    public WorldCoefficients Coefficients { get; init; } = new();
}
