using Crossfeed.Experiments;

namespace Crossfeed.Evaluation.Tests;

/// <summary>What the experiment tests add to the shared test world: its splits as experiment data and the repository's configs/.</summary>
public sealed partial class ExperimentWorld
{
    public ExperimentData Data => field ??= ExperimentData.From(Encoded);

    public string ConfigsDir => Suites.FindConfigsDir();
}
