namespace Crossfeed.Cli;

/// <summary>Progress with a fraction and a short description of the current state.</summary>
public interface ILiveProgress : IProgress<double>
{
    void Describe(string text);
}
