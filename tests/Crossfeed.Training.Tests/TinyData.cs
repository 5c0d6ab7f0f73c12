using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training.Tests;

/// <summary>A small synthetic two-source dataset with a learnable signal, built directly as encoded splits.</summary>
public static class TinyData
{
    public const string DatasetYaml = """
        name: tiny
        input: { path: none.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: user_id, group: user, kind: categorical, embedding_dim: 8 }
          - { name: show_id, group: content, kind: categorical, embedding_dim: 8 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 8 }
          - { name: minutes, group: user, kind: numeric }
        labels:
          - { name: stream, sources: [promotion, ad] }
          - { name: click, sources: [promotion, ad] }
        """;

    public const string JointYaml = """
        name: tiny-joint
        encoder: { hidden: [16, 8] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
          - { name: ad_stream, label: stream, sources: [ad], tower: [8] }
          - { name: click, label: click, tower: [8] }
        masks:
          - { source: ad, tasks: [promo_stream], weight: 0 }
        training: { epochs: 2, batch_size: 64, learning_rate: 0.01, warmup_steps: 0, checkpoint_every: 5, seed: 3 }
        """;

    public const int Users = 40, Shows = 30;

    public static DatasetConfig Dataset() => DatasetConfigLoader.Parse(DatasetYaml, "tiny.yaml", Path.GetTempPath());

    public static ModelConfig Model(DatasetConfig dataset, string yaml = JointYaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tiny-model-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return ModelConfigLoader.Load(path, dataset);
    }

    public static int TableRows(string feature) => feature == "user_id" ? Users + 1 : Shows + 1;

    /// <summary>A preprocessor whose tables have <see cref="TableRows"/> rows (hashed, as the splits hold ids already); numerics as they are.</summary>
    public static Preprocessor Preprocessor(DatasetConfig dataset)
    {
        string Owner(FeatureSpec f) => f.ShareTable ?? f.Name;
        var categorical = dataset.Features.Where(f => f.IsCategorical).ToList();
        var tables = categorical.Where(f => f.ShareTable is null)
            .Select(f => new CategoricalTable(f.Name, categorical.Where(g => Owner(g) == f.Name).Select(g => g.Name).ToList(),
                                              minCount: 1, oovBuckets: 1, hashBuckets: TableRows(f.Name) - 1, vocabulary: []))
            .ToList();
        var features = dataset.Features.Select(f => new FeatureEncoding(f.Name, f.Kind, f.Column, f.IsCategorical ? Owner(f) : null,
                                                                        Math.Max(1, f.MaxLength), f.Transform, Mean: 0, Std: 1, Count: 0, f.Dim)).ToList();
        return new Preprocessor(dataset.Name, dataset.Source.Values, features, tables);
    }

    /// <summary>Rows whose stream probability depends on a hidden user-show match, so a model can learn it.</summary>
    public static EncodedSplit Split(int n, int seed, int? onlySource = null, SplitName name = SplitName.Train)
    {
        var rng = new Random(seed);
        var source = new int[n];
        var user = new int[n];
        var show = new int[n];
        var offsets = new int[n + 1];
        var hist = new List<int>();
        var minutes = new float[n];
        var stream = new float[n];
        var click = new float[n];
        for (int i = 0; i < n; i++)
        {
            source[i] = onlySource ?? (rng.NextDouble() < 0.5 ? 0 : 1);
            user[i] = 1 + rng.Next(Users);
            show[i] = 1 + rng.Next(Shows);
            int h = rng.Next(4);
            for (int k = 0; k < h; k++) hist.Add(1 + rng.Next(Shows));
            offsets[i + 1] = hist.Count;
            minutes[i] = (float)(rng.NextDouble() * 2 - 1);
            bool match = (user[i] % 3) == (show[i] % 3);
            double p = (match ? 0.6 : 0.1) * (source[i] == 0 ? 1.0 : 0.4);
            stream[i] = rng.NextDouble() < p ? 1 : 0;
            click[i] = rng.NextDouble() < (match ? 0.3 : 0.1) ? 1 : 0;
        }
        return new EncodedSplit
        {
            Name = name,
            Count = n,
            Source = source,
            Ids = new Dictionary<string, int[]> { ["user_id"] = user, ["show_id"] = show, ["history_shows"] = hist.ToArray() },
            ListOffsets = new Dictionary<string, int[]> { ["history_shows"] = offsets },
            Dense = new Dictionary<string, float[]> { ["minutes"] = minutes },
            Labels = new Dictionary<string, float[]> { ["stream"] = stream, ["click"] = click },
            Truth = new Dictionary<string, float[]>(),
            Analysis = new Dictionary<string, double[]>(),
            AnalysisText = new Dictionary<string, string?[]>(),
            Keys = new Dictionary<string, string?[]>(),
        };
    }

    /// <summary>A promotions + ads model with 50/50 source batches of 64 rows, 3 epochs (for sampling tests).</summary>
    public const string BalancedJointYaml = """
        name: tiny-joint
        encoder: { hidden: [16, 8] }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
          - { name: ad_stream, label: stream, sources: [ad], tower: [8] }
        sampling: { mode: balanced, shares: { promotion: 0.5, ad: 0.5 } }
        training: { epochs: 3, batch_size: 64, learning_rate: 0.01, warmup_steps: 0, seed: 3 }
        """;

    /// <summary>1,000 training rows, ad-heavy (300 promotions, 700 ads), a third of them video, the rest audio.</summary>
    public static EncodedSplit Skewed()
    {
        var t = Split(1000, seed: 5);
        for (int i = 0; i < t.Count; i++) t.Source[i] = i % 10 < 3 ? 0 : 1;
        return new EncodedSplit
        {
            Name = t.Name, Count = t.Count, Source = t.Source, Ids = t.Ids, ListOffsets = t.ListOffsets, Dense = t.Dense, Labels = t.Labels,
            Truth = t.Truth, Analysis = t.Analysis, Keys = t.Keys,
            AnalysisText = new Dictionary<string, string?[]> { ["modality"] = Enumerable.Range(0, t.Count).Select(i => i % 3 == 0 ? "video" : "audio").ToArray() },
        };
    }

    /// <summary>Asserts that over <paramref name="draws"/> each of the source's rows came up <paramref name="full"/> times and <paramref name="extra"/> of them once more.</summary>
    public static void AssertCycles(List<int[]> draws, EncodedSplit train, int source, int rows, int full, int extra)
    {
        var counts = draws.SelectMany(b => b).Where(r => train.Source[r] == source).CountBy(r => r).ToDictionary();
        Assert.Equal(rows, counts.Count);
        Assert.Equal(rows - extra, counts.Values.Count(c => c == full));
        Assert.Equal(extra, counts.Values.Count(c => c == full + 1));
    }
}
