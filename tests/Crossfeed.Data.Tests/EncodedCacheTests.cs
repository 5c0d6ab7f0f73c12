using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

public class EncodedCacheTests
{
    private const string Features =
        "  - { name: emb, group: content, kind: vector, dim: 2 }\n" +
        "  - { name: tags, group: content, kind: categorical_list, max_length: 2 }";

    private static DatasetConfig Setup(TempDir dir)
    {
        dir.Parquet("data.parquet", $"SELECT p.*, [p.impression_id * 0.5, -1.0] AS emb, CASE WHEN p.impression_id % 3 = 0 THEN NULL ELSE ['a', 'b'] END AS tags FROM ({Podcast.Select}) p");
        return dir.Config(Podcast.Yaml(input: "path: data.parquet", extraFeatures: Features));
    }

    private static void AssertSame(EncodedSplit a, EncodedSplit b)
    {
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.Source, b.Source);
        foreach (var (name, ids) in a.Ids) Assert.Equal(ids, b.Ids[name]);
        foreach (var (name, offsets) in a.ListOffsets) Assert.Equal(offsets, b.ListOffsets[name]);
        foreach (var (name, values) in a.Dense) Assert.Equal(values, b.Dense[name]);
        foreach (var (name, values) in a.Labels) Assert.Equal(values, b.Labels[name]);
        foreach (var (name, values) in a.Truth) Assert.Equal(values, b.Truth[name]);
        foreach (var (name, values) in a.Analysis) Assert.Equal(values, b.Analysis[name]);
        foreach (var (name, values) in a.AnalysisText) Assert.Equal(values, b.AnalysisText[name]);
        Assert.Equal(a.Ids.Count + a.ListOffsets.Count + a.Dense.Count + a.Labels.Count + a.AnalysisText.Count,
                     b.Ids.Count + b.ListOffsets.Count + b.Dense.Count + b.Labels.Count + b.AnalysisText.Count);
    }

    [Fact]
    public void Prepare_streamed_in_small_chunks_gives_what_the_in_memory_load_gives_even_when_the_input_is_not_in_time_order()
    {
        using var dir = new TempDir();
        // Times out of file order, with ties: (i * 7) % 5 over 20 rows.
        dir.Parquet("data.parquet", $"SELECT p.*, (p.impression_id * 7) % 5 AS ts, [p.impression_id * 0.5, -1.0] AS emb, CASE WHEN p.impression_id % 3 = 0 THEN NULL ELSE ['a', 'b'] END AS tags FROM ({Podcast.Select}) p");
        var cfg = dir.Config(Podcast.Yaml(input: "path: data.parquet", extraFeatures: Features, extra: "time_column: ts"));
        var loaded = DatasetLoader.Load(cfg);
        Assert.NotEqual(loaded.Train.Keys["impression_id"], loaded.Train.Keys["impression_id"].OrderBy(k => int.Parse(k!)).ToArray());

        var report = EncodedCache.Prepare(cfg, EncodedCache.DefaultDir(cfg), EncodedCache.Key(cfg, out _)!, chunkRows: 3);
        Assert.Equal([loaded.Train.Count, loaded.Val.Count, loaded.Test.Count], new[] { report.TrainRows, report.ValRows, report.TestRows });
        var cached = EncodedCache.TryLoad(cfg, out var why);
        Assert.True(cached is not null, why);
        Assert.Equal(loaded.Preprocessor.ToJson(), cached.Preprocessor.ToJson());
        foreach (var split in Enum.GetValues<SplitName>())
        {
            AssertSame(loaded[split], cached[split]);
            Assert.Equal(loaded[split].Keys["impression_id"], cached[split].Keys["impression_id"]);
        }
    }

    [Fact]
    public void A_cached_split_reads_any_row_range_with_its_lists_rebased()
    {
        using var dir = new TempDir();
        var cfg = Setup(dir);
        var train = DatasetLoader.Load(cfg).Train;
        using var cached = CachedSplit.Write(train, dir.File("train-cache"));
        Assert.Equal(train.Count, cached.Count);
        foreach (var (start, count) in new[] { (0, train.Count), (2, 5), (train.Count - 1, 1), (3, 0) })
        {
            var rows = Enumerable.Range(start, count).ToArray();
            AssertSame(train.Subset(rows), cached.Read(start, count));
            Assert.Equal(rows.Select(r => train.Source[r]), cached.ReadSource(start, count));
            Assert.Equal(rows.Select(r => train.AnalysisText["modality"][r]), cached.ReadText("modality", start, count)!);
        }
        Assert.Equal(train.Keys["impression_id"], cached.ReadAll().Keys["impression_id"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => cached.Read(train.Count - 1, 2));
    }

    [Fact]
    public void Blocks_of_a_split_larger_than_the_row_limit_are_every_sth_block_spread_over_the_split()
    {
        using var dir = new TempDir();
        var train = DatasetLoader.Load(Setup(dir)).Train;
        using var cached = CachedSplit.Write(train, dir.File("train-cache"));
        Assert.Equal(12, train.Count);

        // Blocks of 2 rows, under the limit: all 6 blocks, in order.
        Assert.Equal([2, 2, 2, 2, 2, 2], cached.Blocks(2, 12).Select(b => b.Count));
        // A limit of 5 rows holds two blocks of 2: of the 6 blocks, every 3rd (blocks 0 and 3: rows 0-1 and 6-7).
        var sampled = cached.Blocks(2, 5).ToList();
        Assert.Equal(2, sampled.Count);
        AssertSame(train.Subset([0, 1]), sampled[0]);
        AssertSame(train.Subset([6, 7]), sampled[1]);
        // A limit of 3 rows holds one block: block 0 only.
        Assert.Single(cached.Blocks(2, 3));
    }

    [Fact]
    public void A_prepared_cache_gives_back_every_array_and_the_preprocessor()
    {
        using var dir = new TempDir();
        var cfg = Setup(dir);
        var loaded = DatasetLoader.Load(cfg);
        var key = EncodedCache.Key(cfg, out _)!;
        EncodedCache.Write(loaded, EncodedCache.DefaultDir(cfg), key);

        var cached = EncodedCache.TryLoad(cfg, out var why);
        Assert.True(cached is not null, why);
        Assert.StartsWith("from the cache", why);
        Assert.Equal(loaded.Preprocessor.ToJson(), cached.Preprocessor.ToJson());
        foreach (var split in Enum.GetValues<SplitName>())
        {
            AssertSame(loaded[split], cached[split]);
            foreach (var (name, values) in loaded[split].Keys) Assert.Equal(values, cached[split].Keys[name]);
        }
        Assert.Contains(loaded.Train.ListOffsets.Keys, k => k == "tags");
        Assert.Equal(loaded.Report.RowsRead, cached.Report.RowsRead);
        // A bundle with other vocabularies does not read it.
        var other = Preprocessor.FromJson(loaded.Preprocessor.ToJson().Replace("\"a\"", "\"z\"", StringComparison.Ordinal));
        Assert.Null(EncodedCache.TryLoadSplit(cfg, other, SplitName.Test, out why));
        Assert.Contains("other vocabularies", why);
        Assert.NotNull(EncodedCache.TryLoadSplit(cfg, loaded.Preprocessor, SplitName.Test, out _));
    }

    [Fact]
    public void A_changed_input_file_or_config_makes_the_cache_stale()
    {
        using var dir = new TempDir();
        var cfg = Setup(dir);
        EncodedCache.Write(DatasetLoader.Load(cfg), EncodedCache.DefaultDir(cfg), EncodedCache.Key(cfg, out _)!);
        Assert.NotNull(EncodedCache.TryLoad(cfg, out _));

        // Same size, new modification time: the file may have been rewritten.
        File.SetLastWriteTimeUtc(dir.File("data.parquet"), DateTime.UtcNow.AddMinutes(1));
        Assert.Null(EncodedCache.TryLoad(cfg, out var why));
        Assert.Contains("stale", why);

        EncodedCache.Write(DatasetLoader.Load(cfg), EncodedCache.DefaultDir(cfg), EncodedCache.Key(cfg, out _)!);
        Assert.NotNull(EncodedCache.TryLoad(cfg, out _));
        var fewer = cfg with { Features = cfg.Features.Where(f => f.Name != "tags").ToList() };
        Assert.Null(EncodedCache.TryLoad(fewer, out why));
        Assert.Contains("stale", why);
    }

    [Fact]
    public void A_folder_left_by_a_killed_prepare_is_never_used()
    {
        using var dir = new TempDir();
        var cfg = Setup(dir);
        var target = EncodedCache.DefaultDir(cfg);
        // What a prepare killed while filling its folder leaves: a temporary folder beside the target, never the target.
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteDirectory(target, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "train.bin"), "partial");
            throw new InvalidOperationException("killed");
        }));
        Assert.False(Directory.Exists(target));
        Assert.Null(EncodedCache.TryLoad(cfg, out var why));
        Assert.StartsWith("no cache at", why);
        // A folder without its manifest (written last) is not a cache either.
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "train.bin"), "partial");
        Assert.Null(EncodedCache.TryLoad(cfg, out _));
    }
}
