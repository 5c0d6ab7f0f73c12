using Crossfeed.Core;
using Crossfeed.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Crossfeed.Experiments;

/// <summary>
/// ML.NET LightGBM binary classifiers on the encoded splits (features flattened by <see cref="PeerFeatures"/>),
/// trained on the TRAIN rows of a metric, early-stopped on its VAL rows, scored on any split.
/// </summary>
public static class LightGbmPeer
{
    private sealed class PeerRow
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }
    }

    /// <summary>Rows a peer trains on: the metric's rows, or (pooled) every row where the label is known.</summary>
    public static int[] TrainingRows(ExperimentMetric metric, EncodedSplit split, DatasetConfig dataset, bool pooled)
    {
        if (!pooled) return metric.Rows(split, dataset);
        if (!split.Labels.TryGetValue(metric.Label, out var labels)) return [];
        return Enumerable.Range(0, split.Count).Where(i => !float.IsNaN(labels[i])).ToArray();
    }

    public static PeerModel Fit(ExperimentMetric metric, DatasetConfig dataset, EncodedSplit train, EncodedSplit val,
                                IReadOnlyList<FeatureGroup> groups, IReadOnlyList<string> exclude, LightGbmPeerOptions options,
                                IReadOnlyList<EncodedSplit>? allSplits = null)
    {
        var features = PeerFeatures.Plan(dataset, groups, exclude, allSplits ?? [train, val],
            includeSource: options.Pooled && dataset.Source.Values.Count > 1, options.CategoricalSplits, options.SmallListVocabulary);
        var trainRows = TrainingRows(metric, train, dataset, options.Pooled);
        var valRows = TrainingRows(metric, val, dataset, options.Pooled);
        var labels = train.Labels.GetValueOrDefault(metric.Label);
        int positives = labels is null ? 0 : trainRows.Count(r => labels[r] > 0.5f);
        if (trainRows.Length == 0 || positives == 0 || positives == trainRows.Length)
        {
            var rate = trainRows.Length == 0 ? 0f : (float)positives / trainRows.Length;
            return new PeerModel(metric, features, null, rate, trainRows.Length, 0, 0,
                $"{metric.Name}: {trainRows.Length} training rows with {positives} positives: no tree can be fitted; scored with the constant {rate:0.####}");
        }

        var ml = new MLContext(options.Seed);
        var trainView = View(ml, features, train, trainRows, metric.Label);
        var valLabels = val.Labels.GetValueOrDefault(metric.Label);
        bool useVal = options.EarlyStoppingRounds > 0 && valLabels is not null && valRows.Length > 0
                      && valRows.Any(r => valLabels[r] > 0.5f) && valRows.Any(r => valLabels[r] < 0.5f);
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = nameof(PeerRow.Label),
            FeatureColumnName = nameof(PeerRow.Features),
            NumberOfIterations = options.Iterations,
            LearningRate = options.LearningRate,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = Math.Max(1, Math.Min(options.MinExamplesPerLeaf, trainRows.Length / 20)),
            UseCategoricalSplit = options.CategoricalSplits && features.CategoricalRanges().Length > 0,
            EarlyStoppingRound = useVal ? options.EarlyStoppingRounds : 0,
            EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss,
            // Small data gains nothing from threads, and OpenMP spinning on a busy shared machine costs seconds.
            NumberOfThreads = trainRows.Length < 100_000 ? 1 : Math.Max(1, Environment.ProcessorCount),
            Seed = options.Seed,
            Silent = true,
            Verbose = false,
        });
        var model = useVal ? trainer.Fit(trainView, View(ml, features, val, valRows, metric.Label)) : trainer.Fit(trainView);
        var trees = model.Model.SubModel.TrainedTreeEnsemble.Trees;
        int categoricalSplits = trees.Sum(t => t.CategoricalSplitFlags.Count(f => f));
        return new PeerModel(metric, features, model, 0, trainRows.Length, trees.Count, categoricalSplits, null);
    }

    /// <summary>The tree model's input columns for a variant (for reports).</summary>
    public static IReadOnlyList<string> Describe(DatasetConfig dataset, LightGbmVariant variant, IReadOnlyList<EncodedSplit> splits) =>
        PeerFeatures.Plan(dataset, variant.FeatureGroups, variant.ExcludeFeatures, splits,
            variant.Options.Pooled && dataset.Source.Values.Count > 1, variant.Options.CategoricalSplits, variant.Options.SmallListVocabulary).Description;

    /// <summary>Probabilities for the given rows of a split.</summary>
    public static float[] Score(PeerModel peer, EncodedSplit split, int[] rows)
    {
        if (peer.Model is null) return Enumerable.Repeat(peer.ConstantScore, rows.Length).ToArray();
        var ml = new MLContext(1);
        var scored = peer.Model.Transform(View(ml, peer.Features, split, rows, null));
        var result = scored.GetColumn<float>("Probability").ToArray();
        if (result.Length != rows.Length) throw new InvalidOperationException($"LightGBM scored {result.Length} rows, expected {rows.Length}");
        return result;
    }

    private static IDataView View(MLContext ml, PeerFeatures features, EncodedSplit split, int[] rows, string? label)
    {
        var schema = SchemaDefinition.Create(typeof(PeerRow));
        var column = schema[nameof(PeerRow.Features)];
        column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, features.Width);
        var ranges = features.CategoricalRanges();
        if (ranges.Length > 0)
            column.AddAnnotation("CategoricalSlotRanges", new VBuffer<int>(ranges.Length, ranges),
                new VectorDataViewType(NumberDataViewType.Int32, ranges.Length));
        var labels = label is null ? null : split.Labels[label];
        return ml.Data.LoadFromEnumerable(Rows(), schema);

        IEnumerable<PeerRow> Rows()
        {
            foreach (var r in rows)
            {
                var (idx, val) = features.Row(split, r);
                yield return new PeerRow
                {
                    Label = labels is not null && labels[r] > 0.5f,
                    Features = new VBuffer<float>(features.Width, idx.Length, val, idx),
                };
            }
        }
    }
}
