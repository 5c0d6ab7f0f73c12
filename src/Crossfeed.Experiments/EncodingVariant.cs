using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>
/// A model variant whose every numeric feature uses one <see cref="Encoding"/> whatever the dataset YAML says:
/// the splits are encoded again with that encoding (fitted on the same training rows; the rows and their order
/// do not change, so every variant is scored on the same test rows).
/// </summary>
public sealed record EncodingVariant(ModelVariant Inner, NumericEncoding Encoding)
    : ExperimentVariant(Inner.Name, Inner.Description)
{
    public override string Kind => Inner.Kind;

    public override VariantScores Run(VariantRun run)
    {
        var ds = run.Data.Dataset;
        var features = ds.Features.Select(f => f.Kind == FeatureKind.Numeric ? f with { Encoding = Encoding } : f).ToList();
        run.Report(0, $"encoding numerics as {Encoding}", false);
        var encoded = DatasetLoader.Load(ds with { Features = features }, null, run.Options.Cancellation);
        return Inner.Run(run with { Data = ExperimentData.From(encoded) });
    }

    public override string? Head(MetricRows metric, EncodedSplit test, bool scored) => Inner.Head(metric, test, scored);

    public override bool Borrows(ExperimentMetric metric) => Inner.Borrows(metric);
}
