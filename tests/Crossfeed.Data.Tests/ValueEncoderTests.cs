
namespace Crossfeed.Data.Tests;

public class ValueEncoderTests
{
    // Lists longer than max_length, with nulls inside and null lists; whole and fractional doubles and
    // booleans as categories; a vector; a numeric with nulls.
    private const string Extra =
        "CASE (p.impression_id - 1) % 4 WHEN 0 THEN ['t1', 't2', 't3', 't4', 't5'] WHEN 1 THEN CASE WHEN p.impression_id > 16 THEN ['t2', NULL, 't9', 't3', 't1'] ELSE ['t2', NULL, 't3', 't1', 't1'] END WHEN 2 THEN NULL ELSE ['t4'] END AS topics, " +
        "((p.impression_id - 1) % 4) * 0.5 AS score_bucket, (p.impression_id % 2 = 0) AS premium, " +
        "[p.impression_id * 0.25, -1.5, p.impression_id::DOUBLE] AS emb, CASE WHEN p.impression_id % 6 = 0 THEN NULL ELSE p.impression_id * 3.5 END AS plays";

    private const string Features =
        "  - { name: topics, group: content, kind: categorical_list, max_length: 3 }\n" +
        "  - { name: score_bucket, group: content, kind: categorical }\n" +
        "  - { name: premium, group: user, kind: categorical }\n" +
        "  - { name: emb, group: content, kind: vector, dim: 3 }\n" +
        "  - { name: plays, group: user, kind: numeric, transform: log1p }";

    [Fact]
    public void Raw_values_encode_to_the_ids_and_dense_values_of_the_file_path()
    {
        using var dir = new TempDir();
        var data = dir.Parquet("data.parquet", $"SELECT p.*, {Extra} FROM ({Podcast.Select}) p");
        var cfg = dir.Config(Podcast.Yaml(input: "path: data.parquet", extraFeatures: Features));
        var pre = DatasetLoader.Load(cfg).Preprocessor;
        var fromFile = DatasetLoader.Encode(cfg, pre, data);

        var raw = DuckRows.Query($"SELECT * FROM read_parquet('{data}')");
        var encoder = new ValueEncoder(cfg, pre);
        var fallbacks = new HashSet<string>();
        var inMemory = encoder.Encode(raw, raw.Select(r => encoder.SourceIndex((string)r["source"]!)).ToArray(), fallbacks);

        Assert.Equal(fromFile.Count, inMemory.Count);
        Assert.Equal(fromFile.Source, inMemory.Source);
        foreach (var (feature, ids) in fromFile.Ids) Assert.Equal(ids, inMemory.Ids[feature]);
        Assert.Equal(fromFile.ListOffsets["topics"], inMemory.ListOffsets["topics"]);
        Assert.Equal(3, fromFile.ListOffsets["topics"][1]); // five topics kept to max_length 3
        foreach (var (feature, values) in fromFile.Dense) Assert.Equal(values, inMemory.Dense[feature]);
        Assert.Equal(fromFile.AnalysisText["modality"], inMemory.AnalysisText["modality"]);
        Assert.Equal(fromFile.Keys["impression_id"], inMemory.Keys["impression_id"]);
        // t9 appears only on a test day (row 18), so training never saw it.
        Assert.Contains(fallbacks, f => f.StartsWith("topics: 't9'", StringComparison.Ordinal));
    }

    [Fact]
    public void Typed_arrays_encode_like_lists_of_boxed_values()
    {
        using var dir = new TempDir();
        var data = dir.Parquet("data.parquet", $"SELECT p.*, {Extra} FROM ({Podcast.Select}) p");
        var cfg = dir.Config(Podcast.Yaml(input: "path: data.parquet", extraFeatures: Features));
        var encoder = new ValueEncoder(cfg, DatasetLoader.Load(cfg).Preprocessor);
        var raw = DuckRows.Query($"SELECT * FROM read_parquet('{data}')");
        var sources = raw.Select(r => encoder.SourceIndex((string)r["source"]!)).ToArray();
        // The vector as a float[] (what the A/B simulator hands the ranker) instead of a list of boxed doubles.
        var typed = raw.Select(r => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(r)
        {
            ["emb"] = ((System.Collections.IEnumerable)r["emb"]!).Cast<object>().Select(x => (float)Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        }).ToList();
        var boxed = encoder.Encode(raw, sources);
        var fromTyped = encoder.Encode(typed, sources);
        Assert.Equal(boxed.Dense["emb"], fromTyped.Dense["emb"]);
        Assert.Contains(fromTyped.Dense["emb"], x => x != 0);
    }

    [Fact]
    public void Values_of_the_wrong_type_are_bad_input_naming_the_column()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var cfg = dir.Config(Podcast.Yaml());
        var encoder = new ValueEncoder(cfg, DatasetLoader.Load(cfg).Preprocessor);
        Expect.Bad(() => encoder.Encode([new Dictionary<string, object?> { ["minutes"] = "ten" }], [0]), "'minutes'", "expected a number");
        Expect.Bad(() => encoder.Encode([new Dictionary<string, object?> { ["minutes"] = double.NaN }], [0]), "'minutes'", "finite");
        Expect.Bad(() => encoder.Encode([new Dictionary<string, object?> { ["genre"] = new[] { "g1", "g2" } }], [0]), "'genre'", "got a list");
        Expect.Bad(() => encoder.SourceIndex("banner"), "unknown source 'banner'");
    }
}
