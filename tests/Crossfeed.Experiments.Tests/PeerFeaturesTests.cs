using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments.Tests;

/// <summary>What the LightGBM peer derives from a listening history through the listed shows' own attributes.</summary>
public sealed class PeerFeaturesTests
{
    private const string Yaml = """
        name: peer-features
        input: { path: none.parquet }
        source: { column: source, values: [promotion] }
        split: { column: day, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: show_id, group: content, kind: categorical }
          - { name: genre, group: content, kind: categorical }
          - { name: topics, group: content, kind: categorical_list }
          - { name: emb, group: content, kind: vector, dim: 2 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id }
        labels:
          - { name: stream }
        """;

    // Ids 0 and 1 are the null and out-of-vocabulary rows; vocabulary ids start at 2.
    // row 0: show 2, genre 3, topics [2, 3], emb [1, 0]
    // row 1: show 3, genre 4, topics [3],    emb [0, 1]
    // row 2: show 4, genre 3, topics [4],    emb [1, 1], history [2, 3, 3, 1] (1: an unknown show, ignored)
    private static EncodedSplit Split() => new()
    {
        Name = SplitName.Train,
        Count = 3,
        Source = [0, 0, 0],
        Ids = new Dictionary<string, int[]>
        {
            ["show_id"] = [2, 3, 4],
            ["genre"] = [3, 4, 3],
            ["topics"] = [2, 3, 3, 4],
            ["history_shows"] = [2, 3, 3, 1],
        },
        ListOffsets = new Dictionary<string, int[]> { ["topics"] = [0, 2, 3, 4], ["history_shows"] = [0, 0, 0, 4] },
        Dense = new Dictionary<string, float[]> { ["emb"] = [1, 0, 0, 1, 1, 1] },
        Labels = new Dictionary<string, float[]> { ["stream"] = [0, 1, 0] },
        Truth = new Dictionary<string, float[]>(),
        Analysis = new Dictionary<string, double[]>(),
        AnalysisText = new Dictionary<string, string?[]>(),
        Keys = new Dictionary<string, string?[]>(),
    };

    [Fact]
    public void A_history_becomes_genre_and_topic_shares_own_genre_and_topic_overlap_and_content_similarity()
    {
        var dataset = DatasetConfigLoader.Parse(Yaml, "peer-features.yaml", Path.GetTempPath());
        var split = Split();
        var features = PeerFeatures.Plan(dataset, Enum.GetValues<FeatureGroup>(), [], [split]);
        var row = features.Explain(split, 2);

        // Known items: show 2 (genre 3), show 3 (genre 4) twice: genre 3 in 1 of 3, genre 4 in 2 of 3.
        Assert.Equal(1 / 3f, row["history_shows: share of its items per genre (5)[3]"], 6);
        Assert.Equal(2 / 3f, row["history_shows: share of its items per genre (5)[4]"], 6);
        Assert.Equal(1 / 3f, row["history_shows: share of its items with the row's genre"], 6);
        // Topics of the items: [2, 3], [3], [3]: topic 2 in 1 of 3 items, topic 3 in 3 of 3. The row's topic 4: none.
        Assert.Equal(1 / 3f, row["history_shows: topics shares over its items (5)[2]"], 6);
        Assert.Equal(1f, row["history_shows: topics shares over its items (5)[3]"], 6);
        Assert.False(row.ContainsKey("history_shows: share of the row's topics among its items'"));
        // Mean of the items' vectors: ([1, 0] + [0, 1] + [0, 1]) / 3 = [1/3, 2/3]; against [1, 1]:
        // cos = (1/3 + 2/3) / (sqrt(2) * sqrt(5) / 3) = 3 / sqrt(10).
        Assert.Equal((float)(3 / Math.Sqrt(10)), row["history_shows: cosine of the row's emb to its items' mean"], 5);
        Assert.Equal(4f, row["history_shows: length"]);
        // The row's own topics as a multi-hot: topic 4.
        Assert.Equal(1f, row["topics: count per id (5)[4]"]);

        // Row 0 has no history: none of the derived slots is set.
        Assert.DoesNotContain(features.Explain(split, 0).Keys, k => k.StartsWith("history_shows: share", StringComparison.Ordinal));
    }
}
