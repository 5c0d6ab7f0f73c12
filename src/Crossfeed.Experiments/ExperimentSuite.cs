using Crossfeed.Core;

namespace Crossfeed.Experiments;

/// <summary>A named experiment: metrics, a baseline (Variants[0]) and the variants compared with it.</summary>
public sealed record ExperimentSuite(
    string Name,
    string Description,
    IReadOnlyList<ExperimentMetric> Metrics,
    IReadOnlyList<ExperimentVariant> Variants,
    IReadOnlyList<string> Notes)
{
    public ExperimentVariant Baseline => Variants[0];

    /// <summary>The baseline and the named variants only (in the suite's order); an unknown name is bad input.</summary>
    public ExperimentSuite Only(IReadOnlyCollection<string> names)
    {
        foreach (var n in names)
            if (Variants.All(v => v.Name != n))
                throw new BadInputException($"suite '{Name}' has no variant '{n}' (variants: {string.Join(", ", Variants.Select(v => v.Name))})");
        return this with { Variants = Variants.Where((v, i) => i == 0 || names.Contains(v.Name)).ToList() };
    }
}
