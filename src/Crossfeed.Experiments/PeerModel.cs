using Microsoft.ML;

namespace Crossfeed.Experiments;

/// <summary>A trained LightGBM peer for one metric; CategoricalSplits counts the tree nodes that split on a categorical feature.</summary>
public sealed record PeerModel(ExperimentMetric Metric, PeerFeatures Features, ITransformer? Model, float ConstantScore,
                               int TrainRows, int Iterations, int CategoricalSplits, string? Note);
