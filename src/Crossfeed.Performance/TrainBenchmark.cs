using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;
using Crossfeed.Training;
using TorchSharp;

namespace Crossfeed.Performance;

/// <summary>
/// Training throughput of the joint model with small (about 50k rows) and large (5M+ rows) embedding
/// tables, lazy versus dense Adam on the tables, and the dense network's achieved GFLOP/s against a
/// matrix multiply timed in the same run. Synthetic ids follow a power law, as real logs do.
/// </summary>
public static class TrainBenchmark
{
    private const string DatasetYaml = """
        name: bench
        input: { path: none.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: user_id, group: user, kind: categorical, embedding_dim: 16 }
          - { name: show_id, group: content, kind: categorical, embedding_dim: 16 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 16 }
          - { name: campaign_id, group: creative, kind: categorical, embedding_dim: 16 }
          - { name: genre, group: content, kind: categorical, embedding_dim: 8 }
          - { name: hour, group: context, kind: categorical, embedding_dim: 4 }
          - { name: minutes, group: user, kind: numeric }
          - { name: show_age, group: content, kind: numeric }
          - { name: bid, group: creative, kind: numeric }
          - { name: show_embedding, group: content, kind: vector, dim: 16 }
        labels:
          - { name: stream, sources: [promotion, ad] }
          - { name: click, sources: [promotion, ad] }
          - { name: like, sources: [promotion] }
          - { name: follow, sources: [promotion] }
        """;

    private const string ModelYaml = """
        name: bench-joint
        encoder: { hidden: [256, 128] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [64] }
          - { name: ad_stream, label: stream, sources: [ad], tower: [64] }
          - { name: click, label: click, tower: [64] }
          - { name: like, label: like, tower: [64] }
          - { name: follow, label: follow, tower: [64] }
        masks:
          - { source: ad, tasks: [promo_stream], weight: 0 }
        training: { epochs: 1, batch_size: BATCH, warmup_steps: 0, seed: 1, embedding_optimizer: OPT, max_steps_per_epoch: STEPS }
        """;

    public static TrainBenchResult Run(int steps, int batchSize, TextWriter log)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            var datasetPath = Path.Combine(dir, "dataset.yaml");
            File.WriteAllText(datasetPath, DatasetYaml);
            var dataset = DatasetConfigLoader.Load(datasetPath);
            var small = new Dictionary<string, int> { ["user_id"] = 30_000, ["show_id"] = 15_000, ["campaign_id"] = 4_000, ["genre"] = 40, ["hour"] = 25 };
            var large = new Dictionary<string, int> { ["user_id"] = 4_000_000, ["show_id"] = 1_000_000, ["campaign_id"] = 200_000, ["genre"] = 40, ["hour"] = 25 };
            // Small and large alternate twice so drift in machine load hits both; each case's figure is
            // the median step over both of its runs. Dense Adam is slow by design: fewer steps suffice.
            var small1 = Measure("small tables, lazy Adam", small, EmbeddingOptimizer.LazyAdam, steps);
            var large1 = Measure("large tables, lazy Adam", large, EmbeddingOptimizer.LazyAdam, steps);
            var small2 = Measure("small tables, lazy Adam", small, EmbeddingOptimizer.LazyAdam, steps);
            var large2 = Measure("large tables, lazy Adam", large, EmbeddingOptimizer.LazyAdam, steps);
            var dense = Measure("large tables, dense Adam", large, EmbeddingOptimizer.DenseAdam, Math.Min(steps, 30));
            var cases = new List<TrainBenchCase>
            {
                Summarise("small tables, lazy Adam", small, EmbeddingOptimizer.LazyAdam, small1.Concat(small2)),
                Summarise("large tables, lazy Adam", large, EmbeddingOptimizer.LazyAdam, large1.Concat(large2)),
                Summarise("large tables, dense Adam", large, EmbeddingOptimizer.DenseAdam, dense),
            };
            var (denseGflops, matmulGflops) = DenseThroughput(dataset, dir, batchSize, log);
            return new TrainBenchResult(cases,
                cases[1].ExamplesPerSecond / cases[0].ExamplesPerSecond,
                cases[1].ExamplesPerSecond / cases[2].ExamplesPerSecond,
                denseGflops, matmulGflops, denseGflops / matmulGflops, batchSize, torch.get_num_threads());

            TrainBenchCase Summarise(string name, Dictionary<string, int> sizes, EmbeddingOptimizer opt, IEnumerable<double> stepMs)
            {
                var sorted = stepMs.OrderBy(x => x).ToArray();
                var median = sorted[sorted.Length / 2];
                var result = new TrainBenchCase(name, sizes.Values.Sum(), opt, batchSize / (median / 1000.0), median);
                log.WriteLine($"bench train: {name}: median step {median:F1} ms, {result.ExamplesPerSecond:N0} examples/s");
                return result;
            }

            double[] Measure(string name, Dictionary<string, int> sizes, EmbeddingOptimizer opt, int caseSteps)
            {
                log.WriteLine($"bench train: {name} ({sizes.Values.Sum():N0} table rows, {caseSteps} steps)...");
                var modelPath = Path.Combine(dir, "model.yaml");
                File.WriteAllText(modelPath, ModelYaml.Replace("BATCH", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("OPT", opt == EmbeddingOptimizer.LazyAdam ? "lazy_adam" : "dense_adam", StringComparison.Ordinal)
                    .Replace("STEPS", caseSteps.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
                var model = ModelConfigLoader.Load(modelPath, dataset);
                var train = Synthetic(sizes, batchSize * (caseSteps + 5), seed: 1);
                var val = Synthetic(sizes, 2_000, seed: 2);
                var stamps = new List<long>(caseSteps + 1);
                var clock = Stopwatch.StartNew();
                using var result = Trainer.Fit(model, dataset, train, val, Preprocessor(dataset, f => sizes[f] + 2),
                    new TrainOptions(AfterStep: (_, _) => stamps.Add(clock.ElapsedTicks)));
                // The first steps warm up allocators and kernels; they are left out.
                return stamps.Zip(stamps.Skip(1), (a, b) => (b - a) * 1000.0 / Stopwatch.Frequency).Skip(Math.Min(10, caseSteps / 3)).ToArray();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A preprocessor with hashed tables of the given sizes (the synthetic splits hold ids already); numerics as they are.</summary>
    private static Preprocessor Preprocessor(DatasetConfig dataset, Func<string, int> tableRows)
    {
        string Owner(FeatureSpec f) => f.ShareTable ?? f.Name;
        var categorical = dataset.Features.Where(f => f.IsCategorical).ToList();
        var tables = categorical.Where(f => f.ShareTable is null)
            .Select(f => new CategoricalTable(f.Name, categorical.Where(g => Owner(g) == f.Name).Select(g => g.Name).ToList(),
                                              minCount: 1, oovBuckets: 1, hashBuckets: tableRows(f.Name) - 1, vocabulary: []))
            .ToList();
        var features = dataset.Features.Select(f => new FeatureEncoding(f.Name, f.Kind, f.Column, f.IsCategorical ? Owner(f) : null,
                                                                        Math.Max(1, f.MaxLength), f.Transform, Mean: 0, Std: 1, Count: 0, f.Dim)).ToList();
        return new Preprocessor(dataset.Name, dataset.Source.Values, features, tables);
    }

    /// <summary>Forward + backward of the dense network alone on a fixed input, against one matmul of the first layer's shape.</summary>
    private static (double Dense, double Matmul) DenseThroughput(DatasetConfig dataset, string dir, int batchSize, TextWriter log)
    {
        var modelPath = Path.Combine(dir, "model.yaml");
        File.WriteAllText(modelPath, ModelYaml.Replace("BATCH", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("OPT", "lazy_adam", StringComparison.Ordinal).Replace("STEPS", "1", StringComparison.Ordinal));
        var model = ModelConfigLoader.Load(modelPath, dataset);
        var layout = FeatureLayout.Build(dataset, model, _ => 100);
        long width = layout.OutputWidth;
        using var net = Nn.Architectures.ArchitectureFactory.Create(model, width);
        // FLOPs of the linear layers: 2 per multiply-add forward; backward computes the weight gradient
        // (2 more) and the input gradient (2 more) except for the first layer, whose input needs none.
        var dims = new List<(long In, long Out)> { (256, 128) };
        dims.AddRange(Enumerable.Range(0, model.Tasks.Count).SelectMany(_ => new[] { (128L, 64L), (64L, 1L) }));
        double flopsPerExample = 4.0 * width * 256 + dims.Sum(d => 6.0 * d.In * d.Out);

        using var x = torch.randn(batchSize, width);
        double denseSeconds = MedianSeconds(() =>
        {
            using var scope = torch.NewDisposeScope();
            net.zero_grad();
            net.call(x).sum().backward();
        });
        using var a = torch.randn(batchSize, width);
        using var b = torch.randn(width, 256);
        double matmulSeconds = MedianSeconds(() =>
        {
            using var scope = torch.NewDisposeScope();
            _ = a.matmul(b);
        });
        double dense = flopsPerExample * batchSize / denseSeconds / 1e9;
        double matmul = 2.0 * batchSize * width * 256 / matmulSeconds / 1e9;
        log.WriteLine($"bench train: dense network {dense:F1} GFLOP/s, matmul {matmul:F1} GFLOP/s");
        return (dense, matmul);
    }

    private static double MedianSeconds(Action action)
    {
        for (int i = 0; i < 10; i++) action();
        var times = new double[60];
        for (int i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>Power-law ids (a few hot rows, a long tail), 10-item histories, both sources.</summary>
    public static EncodedSplit Synthetic(Dictionary<string, int> sizes, int n, int seed)
    {
        var rng = new Random(seed);
        int Draw(int size) => 1 + (int)Math.Min(size - 1, Math.Floor(Math.Pow(rng.NextDouble(), 3) * size));
        var ids = sizes.Keys.ToDictionary(k => k, _ => new int[n]);
        var offsets = new int[n + 1];
        var history = new int[n * 10];
        for (int i = 0; i < n; i++)
        {
            foreach (var (k, size) in sizes) ids[k][i] = Draw(size);
            for (int j = 0; j < 10; j++) history[i * 10 + j] = Draw(sizes["show_id"]);
            offsets[i + 1] = (i + 1) * 10;
        }
        ids["history_shows"] = history;
        float[] Noise(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] Labels(double p) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() < p ? 1f : 0f).ToArray();
        return new EncodedSplit
        {
            Name = SplitName.Train,
            Count = n,
            Source = Enumerable.Range(0, n).Select(_ => rng.Next(2)).ToArray(),
            Ids = ids,
            ListOffsets = new Dictionary<string, int[]> { ["history_shows"] = offsets },
            Dense = new Dictionary<string, float[]> { ["minutes"] = Noise(n), ["show_age"] = Noise(n), ["bid"] = Noise(n), ["show_embedding"] = Noise(n * 16) },
            Labels = new Dictionary<string, float[]> { ["stream"] = Labels(0.1), ["click"] = Labels(0.05), ["like"] = Labels(0.03), ["follow"] = Labels(0.02) },
            Truth = new Dictionary<string, float[]>(),
            Analysis = new Dictionary<string, double[]>(),
            AnalysisText = new Dictionary<string, string?[]>(),
            Keys = new Dictionary<string, string?[]>(),
        };
    }
}
