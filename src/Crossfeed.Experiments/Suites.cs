using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>The suites `crossfeed experiment` knows, in listing order (documented in docs/experiments.md). A new suite is one file and one line here.</summary>
public static class Suites
{
    public static IReadOnlyList<ISuite> All { get; } =
    [
        new PaperTable1Suite(),
        new MaskingSuite(),
        new BalanceSuite(),
        new AncillarySuite(),
        new FeatureGroupsSuite(),
        new ArchitecturesSuite(),
        new CamoeSuite(),
        new BalancingSuite(),
        new PeersSuite(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();

    /// <summary>The suite of that name; an unknown name is a <see cref="BadInputException"/> listing the suites.</summary>
    public static ISuite Find(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new BadInputException($"unknown experiment '{name}' (suites: {string.Join(", ", Names)})");

    /// <summary>
    /// Builds the named suite for a dataset. <paramref name="configsDir"/> defaults to the repository's configs/
    /// folder; <paramref name="train"/> is the training split when loaded (see <see cref="SuiteContext"/>).
    /// </summary>
    public static ExperimentSuite Build(string name, DatasetConfig dataset, string? configsDir = null, EncodedSplit? train = null)
    {
        var suite = Find(name);
        return suite.Build(new SuiteContext(dataset, configsDir ?? FindConfigsDir(), train));
    }

    /// <summary>The repository's configs/ folder, found from the executable's location upwards, then from the working directory.</summary>
    public static string FindConfigsDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "configs");
                if (File.Exists(Path.Combine(candidate, "podcast-joint.yaml"))) return candidate;
            }
        }
        throw new BadInputException("cannot find the configs/ folder with podcast-joint.yaml; run from the repository");
    }
}
