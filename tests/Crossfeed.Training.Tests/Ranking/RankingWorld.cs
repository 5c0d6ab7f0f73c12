using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Training.Tests.Ranking;

/// <summary>
/// A small dataset with every feature group, kind and a modality scope, a preprocessor with real
/// vocabularies (so unknown ids fall to the OOV row), raw-value rows and briefly trained models.
/// </summary>
public static class RankingWorld
{
    public const string DatasetYaml = """
        name: ranking
        input: { path: none.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: user_id, group: user, kind: categorical, embedding_dim: 4 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 6, max_length: 3 }
          - { name: minutes, group: user, kind: numeric, transform: log1p }
          - { name: hour, group: context, kind: categorical, embedding_dim: 3 }
          - { name: modality, group: context, kind: categorical, embedding_dim: 2 }
          - { name: show_id, group: content, kind: categorical, embedding_dim: 6 }
          - { name: show_embedding, group: content, kind: vector, dim: 3 }
          - { name: campaign_id, group: creative, kind: categorical, embedding_dim: 3 }
          - { name: bid, group: creative, kind: numeric }
        labels:
          - { name: stream, sources: [promotion, ad] }
          - { name: click, sources: [ad] }
        analysis: { modality: modality }
        """;

    /// <summary>Model YAML for an architecture: a promotion task and two ad tasks scoped to a modality each.</summary>
    public static string ModelYaml(string architecture) => $$"""
        name: ranking-{{architecture}}
        architecture: {{architecture}}
        encoder: { hidden: [16, 8] }
        experts: { count: 3, hidden: [8], cross_layers: 2, levels: 2, task_experts: 1 }
        tasks:
          - { name: promo_stream, label: stream, sources: [promotion], tower: [8] }
          - { name: audio_ad_stream, label: stream, sources: [ad], modalities: [audio], tower: [8], group: audio }
          - { name: video_ad_click, label: click, sources: [ad], modalities: [video], tower: [8], group: video }
        masks:
          - { source: ad, tasks: [promo_stream], weight: 0 }
        training: { epochs: 1, batch_size: 64, learning_rate: 0.01, warmup_steps: 0, seed: 5, max_steps_per_epoch: 6 }
        """;

    public const int Users = 20, Shows = 15, Campaigns = 6;

    public static DatasetConfig Dataset() => DatasetConfigLoader.Parse(DatasetYaml, "ranking.yaml", Path.GetTempPath());

    public static Preprocessor Preprocessor(DatasetConfig dataset)
    {
        static IReadOnlyList<string> Ids(int n) => Enumerable.Range(1, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var tables = new[]
        {
            new CategoricalTable("user_id", ["user_id"], 1, 1, 0, Ids(Users)),
            new CategoricalTable("show_id", ["show_id", "history_shows"], 1, 1, 0, Ids(Shows)),
            new CategoricalTable("hour", ["hour"], 1, 1, 0, Ids(23)),
            new CategoricalTable("modality", ["modality"], 1, 1, 0, ["audio", "video"]),
            new CategoricalTable("campaign_id", ["campaign_id"], 1, 1, 0, Ids(Campaigns)),
        };
        var features = dataset.Features.Select(f => new FeatureEncoding(
            f.Name, f.Kind, f.Column, f.IsCategorical ? f.ShareTable ?? f.Name : null, Math.Max(1, f.MaxLength), f.Transform,
            Mean: f.Name == "minutes" ? 2.5 : 0.1, Std: f.Name == "minutes" ? 1.5 : 0.7, Count: 100, f.Dim)).ToList();
        return new Preprocessor(dataset.Name, dataset.Source.Values, features, tables);
    }

    public static Dictionary<string, object?> User(Random rng) => new()
    {
        ["user_id"] = (long)(1 + rng.Next(Users)),
        ["history_shows"] = Enumerable.Range(0, rng.Next(5)).Select(_ => (long)(1 + rng.Next(Shows))).ToArray(),
        ["minutes"] = rng.NextDouble() * 100,
    };

    public static Dictionary<string, object?> Context(Random rng, string modality) => new()
    {
        ["hour"] = (long)rng.Next(24),
        ["modality"] = modality,
    };

    public static Dictionary<string, object?> Item(Random rng) => new()
    {
        ["show_id"] = (long)(1 + rng.Next(Shows)),
        ["show_embedding"] = new[] { rng.NextDouble(), rng.NextDouble() - 0.5, rng.NextDouble() * 2 },
        ["campaign_id"] = (long)(1 + rng.Next(Campaigns)),
        ["bid"] = rng.NextDouble() * 5,
    };

    /// <summary>The same candidates in the same order, the same tasks each, probabilities within <paramref name="tolerance"/>, the same fallback lines.</summary>
    public static void AssertSameScores(RankOutput expected, RankOutput actual, double tolerance)
    {
        Assert.Equal(expected.Fallbacks, actual.Fallbacks);
        Assert.Equal(expected.Candidates.Count, actual.Candidates.Count);
        for (int i = 0; i < expected.Candidates.Count; i++)
        {
            Assert.Equal(expected.Candidates[i].Id, actual.Candidates[i].Id);
            Assert.Equal(expected.Candidates[i].Probabilities.Keys.Order(), actual.Candidates[i].Probabilities.Keys.Order());
            foreach (var (task, p) in expected.Candidates[i].Probabilities)
                Assert.True(Math.Abs(p - actual.Candidates[i].Probabilities[task]) < tolerance, $"{task} of {expected.Candidates[i].Id}: {p} vs {actual.Candidates[i].Probabilities[task]}");
        }
    }

    public static RankCandidate Candidate(Random rng, int i) =>
        new($"c{i}", rng.Next(2) == 0 ? "promotion" : "ad", Item(rng));

    /// <summary>A model of the architecture trained a few steps on rows encoded from raw values (stream depends on user-show parity).</summary>
    /// <param name="directory">Where the configs are written and kept (saving a bundle copies them); default: a temporary file, removed.</param>
    public static TrainedModel Train(string architecture, string? directory = null)
    {
        var dataset = Dataset();
        var path = Path.Combine(directory ?? Path.GetTempPath(), $"ranking-model-{Guid.NewGuid():N}.yaml");
        if (directory is not null)
        {
            File.WriteAllText(Path.Combine(directory, "dataset.yaml"), DatasetYaml);
            dataset = DatasetConfigLoader.Load(Path.Combine(directory, "dataset.yaml"));
        }
        File.WriteAllText(path, ModelYaml(architecture));
        var model = ModelConfigLoader.Load(path, dataset);
        if (directory is null) File.Delete(path);
        var pre = Preprocessor(dataset);
        return Trainer.Fit(model, dataset, Rows(dataset, pre, 600, seed: 1), Rows(dataset, pre, 200, seed: 2), pre, new TrainOptions());
    }

    private static EncodedSplit Rows(DatasetConfig dataset, Preprocessor pre, int n, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        var sources = new int[n];
        var stream = new float[n];
        var click = new float[n];
        for (int i = 0; i < n; i++)
        {
            var row = User(rng).Concat(Context(rng, rng.Next(2) == 0 ? "audio" : "video")).Concat(Item(rng)).ToDictionary();
            rows.Add(row);
            sources[i] = rng.Next(2);
            bool match = (long)row["user_id"]! % 2 == (long)row["show_id"]! % 2;
            stream[i] = rng.NextDouble() < (match ? 0.6 : 0.1) ? 1 : 0;
            click[i] = sources[i] == 1 ? (rng.NextDouble() < 0.3 ? 1 : 0) : float.NaN;
        }
        var encoded = new ValueEncoder(dataset, pre).Encode(rows, sources);
        return new EncodedSplit
        {
            Name = seed == 1 ? SplitName.Train : SplitName.Val,
            Count = n,
            Source = encoded.Source,
            Ids = encoded.Ids,
            ListOffsets = encoded.ListOffsets,
            Dense = encoded.Dense,
            Labels = new Dictionary<string, float[]> { ["stream"] = stream, ["click"] = click },
            Truth = encoded.Truth,
            Analysis = encoded.Analysis,
            AnalysisText = encoded.AnalysisText,
            Keys = encoded.Keys,
        };
    }
}
