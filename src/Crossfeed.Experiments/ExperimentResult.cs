namespace Crossfeed.Experiments;

/// <summary>What a suite run produced; serialised to results.json (snake_case) and rendered to tables.</summary>
public sealed record ExperimentResult(
    string Suite,
    string Description,
    string Dataset,
    string DatasetPath,
    int Seeds,
    bool Quick,
    string CiMethod,
    int BootstrapResamples,
    string Baseline,
    IReadOnlyList<MetricSummary> Metrics,
    IReadOnlyList<VariantResult> Variants,
    IReadOnlyList<string> Notes,
    double TotalSeconds)
{
    public VariantResult? Variant(string name) => Variants.FirstOrDefault(v => v.Name == name);
}
