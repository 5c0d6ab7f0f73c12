using Crossfeed.Experiments;

namespace Crossfeed.Evaluation.Tests;

/// <summary>What the experiment tests add to the shared test world: its splits as experiment data and the repository's configs/.</summary>
public sealed partial class ExperimentWorld
{
    public ExperimentData Data => field ??= ExperimentData.From(Encoded);

    public string ConfigsDir => Suites.FindConfigsDir();

    /// <summary>The world's dataset YAML with <paramref name="find"/> replaced; throws when it is not there (a silent no-op would test the unedited config).</summary>
    public static string DatasetYamlWith(string find, string replace) => DatasetYaml.Edit(find, replace);
}
