namespace Crossfeed.Experiments;

/// <summary>A named experiment suite (docs/experiments.md): one class each, registered in <see cref="Suites.All"/>.</summary>
public interface ISuite
{
    /// <summary>The name `crossfeed experiment NAME` takes.</summary>
    string Name { get; }

    /// <summary>One line for listings and reports.</summary>
    string Description { get; }

    /// <summary>
    /// The suite's metrics and variants for a dataset, built from the shipped configs by <c>with</c>
    /// expressions; a dataset lacking what the suite needs is a <see cref="Core.BadInputException"/>.
    /// </summary>
    ExperimentSuite Build(SuiteContext ctx);
}
