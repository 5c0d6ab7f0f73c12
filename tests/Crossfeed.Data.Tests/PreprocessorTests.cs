using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

public sealed class PreprocessorTests
{
    private const ulong PinnedPodcast = 12316144734140134758UL;
    private const ulong PinnedNumber = 5280360963631155151UL;

    /// <summary>user_id u0..u4 in train; u9 appears only in test rows.</summary>
    private static EncodedDataset LoadWithUnseenUser(TempDir dir, string? yaml = null)
    {
        dir.Write("data.csv", Podcast.Csv(i => i == 18 ? "19,9,promotion,u9,g0,180,0,,video" : null));
        return DatasetLoader.Load(dir.Config(yaml ?? Podcast.Yaml()));
    }

    [Fact]
    public void Vocabulary_is_fitted_on_train_only_and_unseen_values_map_to_the_oov_row()
    {
        using var dir = new TempDir();
        var ds = LoadWithUnseenUser(dir);
        var table = ds.Preprocessor.TableOf("user_id");
        Assert.Equal(5, table.Vocabulary.Count);
        Assert.DoesNotContain("u9", table.Vocabulary);
        Assert.Equal(1 + 1 + 5, table.Rows);
        Assert.Equal(1, ds.Test.Ids["user_id"][2]);
        Assert.True(ds.Train.Ids["user_id"].All(id => id >= table.FirstVocabularyId));
    }

    [Fact]
    public void Unseen_id_shares_count_oov_ids_per_split_and_name_the_feature()
    {
        using var dir = new TempDir();
        var ds = LoadWithUnseenUser(dir);
        var test = UnseenIds.Shares(ds.Test, ds.Preprocessor);
        Assert.Equal(1.0 / ds.Test.Count, test["user_id"], 12); // u9 alone is unknown
        Assert.Equal(0.0, test["genre"]);
        Assert.Equal(0.0, UnseenIds.Shares(ds.Train, ds.Preprocessor)["user_id"]);
        var line = UnseenIds.Describe(ds, threshold: 0.05)!;
        Assert.StartsWith("ids the training vocabulary does not know (train / val / test): user_id 0% / 0% / ", line);
        Assert.DoesNotContain("genre", line);
        Assert.Null(UnseenIds.Describe(ds, threshold: 0.9));
    }

    [Fact]
    public void Vocabulary_is_ordered_by_frequency_then_key()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv(i => i == 0 ? "1,0,promotion,u2,g0,0,0,,video" : null));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        // Train rows 0..11: u1 and u2 three times each, u0, u3 and u4 twice each: most frequent first, ties by key.
        var vocab = ds.Preprocessor.TableOf("user_id").Vocabulary;
        Assert.Equal(["u1", "u2", "u0", "u3", "u4"], vocab);
        Assert.Equal(2, ds.Preprocessor.CategoryId("user_id", "u1"));
    }

    [Fact]
    public void Min_count_sends_rare_values_to_the_oov_row()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv(i => i == 0 ? "1,0,promotion,rare,g0,0,0,,video" : null));
        var yaml = Podcast.Yaml().Edit("{ name: user_id, group: user, kind: categorical }", "{ name: user_id, group: user, kind: categorical, min_count: 2 }");
        var ds = DatasetLoader.Load(dir.Config(yaml));
        Assert.DoesNotContain("rare", ds.Preprocessor.TableOf("user_id").Vocabulary);
        Assert.Equal(1, ds.Train.Ids["user_id"][0]);
    }

    [Fact]
    public void Several_oov_buckets_spread_unseen_values_by_a_stable_hash()
    {
        var table = new CategoricalTable("x", ["x"], 1, 8, 0, ["a", "b"]);
        Assert.Equal(1 + 8 + 2, table.Rows);
        Assert.Equal(9, table.IdOf("a"));
        var ids = Enumerable.Range(0, 200).Select(i => table.IdOf("unseen" + i)).ToList();
        Assert.All(ids, id => Assert.InRange(id, 1, 8));
        Assert.True(ids.Distinct().Count() >= 6);
        // Stable across runs and processes: FNV-1a 64 + SplitMix64 finaliser of the UTF-8 key.
        Assert.Equal(1 + (int)(StableHash.Of("unseen0") % 8), table.IdOf("unseen0"));
        Assert.Equal(StableHash.Of(42), StableHash.Of("42"));
    }

    [Fact]
    public void Stable_hash_values_do_not_change()
    {
        // The reference below is written independently of StableHash (big-integer arithmetic mod 2^64, always over
        // UTF-8 bytes) and checked against published vectors: FNV-1a 64 of "", "a" and "foobar" (Fowler/Noll/Vo test
        // suite) and the first output of SplitMix64 seeded with 0 (Vigna), which is the finaliser of 0x9E3779B97F4A7C15.
        Assert.Equal(0xcbf29ce484222325UL, ReferenceFnv1a(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, ReferenceFnv1a("a"));
        Assert.Equal(0x85944171f73967e8UL, ReferenceFnv1a("foobar"));
        Assert.Equal(0xe220a8397b1dcdafUL, ReferenceSplitMix64Finaliser(0x9E3779B97F4A7C15UL));
        // Pinned values: changing the hash would silently remap every hashed id in existing bundles.
        Assert.Equal(PinnedPodcast, ReferenceHash("podcast"));
        Assert.Equal(PinnedNumber, ReferenceHash("1234567"));
        Assert.Equal(PinnedPodcast, StableHash.Of("podcast"));
        Assert.Equal(PinnedNumber, StableHash.Of(1234567));
        // Non-ASCII keys hash their UTF-8 bytes; integers their invariant decimal text, sign included.
        foreach (var key in new[] { "émission", "日本語", "", "a" })
            Assert.Equal(ReferenceHash(key), StableHash.Of(key));
        foreach (var n in new[] { 0L, -1L, 42L, long.MinValue, long.MaxValue })
            Assert.Equal(ReferenceHash(n.ToString(System.Globalization.CultureInfo.InvariantCulture)), StableHash.Of(n));
    }

    private static readonly System.Numerics.BigInteger Mod64 = System.Numerics.BigInteger.One << 64;

    private static ulong ReferenceFnv1a(string key)
    {
        var h = new System.Numerics.BigInteger(14695981039346656037UL);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
            h = (h ^ b) * 1099511628211UL % Mod64;
        return (ulong)h;
    }

    private static ulong ReferenceSplitMix64Finaliser(ulong x)
    {
        var z = new System.Numerics.BigInteger(x);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL % Mod64;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL % Mod64;
        return (ulong)(z ^ (z >> 31));
    }

    private static ulong ReferenceHash(string key) => ReferenceSplitMix64Finaliser(ReferenceFnv1a(key));

    [Fact]
    public void Hash_buckets_replace_the_vocabulary()
    {
        using var dir = new TempDir();
        var yaml = Podcast.Yaml().Edit("{ name: user_id, group: user, kind: categorical }", "{ name: user_id, group: user, kind: categorical, hash_buckets: 16 }");
        var ds = LoadWithUnseenUser(dir, yaml);
        var table = ds.Preprocessor.TableOf("user_id");
        Assert.Empty(table.Vocabulary);
        Assert.Equal(17, table.Rows);
        Assert.Equal(1 + (int)(StableHash.Of("u9") % 16), ds.Test.Ids["user_id"][2]);
        Assert.All(ds.Train.Ids["user_id"], id => Assert.InRange(id, 1, 16));
    }

    [Fact]
    public void Shared_table_is_fitted_over_both_columns()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("AS modality", "AS modality, 'g' || ((i + 1) % 3)::VARCHAR AS show_id, ['g7', 'g' || (i % 2)::VARCHAR] AS history"));
        var yaml = Podcast.Yaml(input: "path: data.parquet", extraFeatures:
            "  - { name: show_id, group: content, kind: categorical }\n  - { name: history, group: user, kind: categorical_list, share_table: show_id }");
        var ds = DatasetLoader.Load(dir.Config(yaml));
        var pre = ds.Preprocessor;
        Assert.Same(pre.TableOf("show_id"), pre.TableOf("history"));
        Assert.Contains("g7", pre.TableOf("show_id").Vocabulary);
        Assert.Equal(["show_id", "history"], pre.TableOf("show_id").Features);
        Assert.Equal(pre.CategoryId("show_id", "g7"), ds.Train.Ids["history"][0]);
        Assert.Equal(ds.Train.Ids["show_id"][2], ds.Train.Ids["history"][1]);
    }

    [Fact]
    public void Integer_and_text_spellings_of_a_value_get_the_same_id()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("'u' || (i % 5)::VARCHAR AS user_id", "(i % 5) * 100 AS user_id"));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet")));
        var pre = ds.Preprocessor;
        Assert.Equal(pre.CategoryId("user_id", 300), pre.CategoryId("user_id", "300"));
        Assert.Equal(ds.Train.Ids["user_id"][3], pre.CategoryId("user_id", "300"));
        Assert.Equal(1, pre.CategoryId("user_id", "0300"));
    }

    [Fact]
    public void Numeric_features_are_standardised_with_train_statistics_after_log1p()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv(i => i == 4 ? "5,2,promotion,u4,g1,,0,,audio" : null));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var train = Enumerable.Range(0, 12).Where(i => i != 4).Select(i => Math.Log(1 + i * 10.0)).ToArray();
        double mean = train.Average(), std = Math.Sqrt(train.Select(v => (v - mean) * (v - mean)).Average());
        var enc = ds.Preprocessor.Feature("minutes");
        Assert.Equal(mean, enc.Mean, 9);
        Assert.Equal(std, enc.Std, 9);
        Assert.Equal(11, enc.Count);
        Assert.Equal((float)((Math.Log(31) - mean) / std), ds.Train.Dense["minutes"][3], 5);
        Assert.Equal(0f, ds.Train.Dense["minutes"][4]);
        Assert.Equal((float)((Math.Log(1 + 190) - mean) / std), ds.Test.Dense["minutes"][3], 5);
    }

    [Fact]
    public void Json_round_trip_encodes_rows_identically()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("AS modality", "AS modality, list_transform(range(i % 4), x -> 's' || x::VARCHAR) AS history, [i::FLOAT, 2.5::FLOAT] AS emb"));
        var yaml = Podcast.Yaml(input: "path: data.parquet", extraFeatures:
            "  - { name: history, group: user, kind: categorical_list, oov_buckets: 3 }\n  - { name: emb, group: content, kind: vector, dim: 2 }");
        var cfg = dir.Config(yaml);
        var ds = DatasetLoader.Load(cfg);
        var path = dir.File("pre.json");
        ds.Preprocessor.Save(path);
        var back = Preprocessor.Load(path);
        Assert.Equal(ds.Preprocessor.ToJson(), back.ToJson());
        var a = DatasetLoader.Encode(cfg, ds.Preprocessor, SplitName.Test);
        var b = DatasetLoader.Encode(cfg, back, SplitName.Test);
        Assert.Equal(ds.Test.Ids["user_id"], b.Ids["user_id"]);
        foreach (var name in new[] { "user_id", "genre", "history" }) Assert.Equal(a.Ids[name], b.Ids[name]);
        Assert.Equal(a.ListOffsets["history"], b.ListOffsets["history"]);
        foreach (var name in new[] { "minutes", "emb" }) Assert.Equal(a.Dense[name], b.Dense[name]);
    }

    [Fact]
    public void Malformed_preprocessor_json_is_bad_input()
    {
        Expect.Bad(() => Preprocessor.FromJson("{ not json", "bundle/pre.json"), "bundle/pre.json", "invalid");
        Expect.Bad(() => Preprocessor.FromJson("{\"format\": \"other\"}", "p.json"), "p.json", "not a Crossfeed preprocessor");
        var zeroStd = """
            { "format": "crossfeed.preprocessor/1", "dataset": "d", "sources": ["a"], "tables": [],
              "features": [{ "name": "x", "kind": "numeric", "column": "x", "max_length": 0, "transform": "none", "mean": 0, "std": 0, "count": 1, "dim": 1 }] }
            """;
        Expect.Bad(() => Preprocessor.FromJson(zeroStd, "p.json"), "p.json", "feature 'x'", "positive std");
    }

    [Fact]
    public void Scoring_a_file_without_labels_fills_NaN_and_keeps_file_order()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var cfg = dir.Config(Podcast.Yaml());
        var ds = DatasetLoader.Load(cfg);
        var lines = Podcast.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(',', l.Split(',').Where((_, k) => k is not (1 or 6 or 7))));
        var score = dir.Write("score.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n");
        var enc = DatasetLoader.Encode(cfg, ds.Preprocessor, score);
        Assert.Equal(20, enc.Count);
        Assert.Equal("20", enc.Keys["impression_id"][0]);
        Assert.All(enc.Labels["stream"], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(ds.Test.Ids["user_id"][3], enc.Ids["user_id"][0]);

        var batches = DatasetLoader.EncodeBatches(cfg, ds.Preprocessor, score, batchRows: 8).ToList();
        Assert.Equal([8, 8, 4], batches.Select(x => x.Count));
        Assert.Equal(enc.Ids["genre"][8..16], batches[1].Ids["genre"]);
    }

    [Fact]
    public void Encoding_with_a_preprocessor_for_other_features_is_bad_input()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var other = dir.Config(Podcast.Yaml().Edit("kind: numeric, transform: log1p", "kind: categorical"), "other.yaml");
        Expect.Bad(() => DatasetLoader.Encode(other, ds.Preprocessor, SplitName.Test), "other.yaml", "minutes");
    }
}
