namespace Crossfeed.Simulation;

public enum Modality
{
    Audio,
    Video,
    Display,
}
