using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

public sealed class ReaderTests
{
    [Fact]
    public void Csv_with_header_splits_by_day_ranges()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal(4, ds.Val.Count);
        Assert.Equal(4, ds.Test.Count);
        Assert.Equal(20, ds.Report.RowsRead);
        Assert.Equal(0, ds.Report.RowsDropped);
        Assert.Equal(new string?[] { "1", "2", "3" }, ds.Train.Keys["impression_id"][..3]);
        Assert.Equal([0, 0, 0, 1], ds.Train.Source[..4]);
    }

    [Fact]
    public void Parquet_file_gives_the_same_encoding_as_the_csv()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        dir.Parquet("data.parquet", Podcast.Select);
        var csv = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var pq = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"), "pq.yaml"));
        foreach (var s in Enum.GetValues<SplitName>())
        {
            Assert.Equal(csv[s].Source, pq[s].Source);
            Assert.Equal(csv[s].Ids["user_id"], pq[s].Ids["user_id"]);
            Assert.Equal(csv[s].Dense["minutes"], pq[s].Dense["minutes"]);
            Assert.Equal(csv[s].Labels["click"], pq[s].Labels["click"]);
            Assert.Equal(csv[s].Keys["impression_id"], pq[s].Keys["impression_id"]);
        }
    }

    [Fact]
    public void Folder_of_shards_and_glob_read_every_shard_in_name_order()
    {
        using var dir = new TempDir();
        dir.Parquet("shards/part-0.parquet", Podcast.Select + " WHERE i < 7");
        dir.Parquet("shards/part-1.parquet", Podcast.Select + " WHERE i >= 7 AND i < 15");
        dir.Parquet("shards/part-2.parquet", Podcast.Select + " WHERE i >= 15");
        var folder = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: shards"), "a.yaml"));
        var glob = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: shards/*.parquet"), "b.yaml"));
        Assert.Equal(20, folder.Report.RowsRead);
        Assert.Equal(folder.Train.Keys["impression_id"], glob.Train.Keys["impression_id"]);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => i.ToString()).ToArray(), folder.Train.Keys["impression_id"]);
    }

    [Fact]
    public void Tsv_without_header_uses_column_names()
    {
        using var dir = new TempDir();
        var body = string.Join("\n", Enumerable.Range(0, 20).Select(i => Podcast.Line(i).Replace(',', '\t'))) + "\n";
        dir.Write("data.tsv", body);
        var names = Podcast.Header.Replace(",", ", ");
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: $"path: data.tsv\nheader: false\ncolumn_names: [{names}]")));
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal("video", ds.Train.AnalysisText["modality"][0]);
    }

    [Fact]
    public void Pre_split_files_give_one_split_each()
    {
        using var dir = new TempDir();
        var lines = Podcast.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        dir.Write("train.csv", string.Join("\n", lines.Take(13)));
        dir.Write("val.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(13).Take(3))));
        dir.Write("test.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(16))));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "files: { train: train.csv, val: val.csv, test: test.csv }", split: "")));
        Assert.Equal([12, 3, 5], new[] { ds.Train.Count, ds.Val.Count, ds.Test.Count });
        Assert.Equal("16", ds.Test.Keys["impression_id"][0]);
    }

    [Fact]
    public void Query_input_can_derive_a_label_and_rows_are_numbered_in_the_result()
    {
        using var dir = new TempDir();
        dir.Write("logs.csv", Podcast.Csv().Edit(",stream,", ",plays,"));
        var query = "query: \"SELECT *, (plays > 0)::INT AS stream FROM read_csv('{dir}/logs.csv')\"";
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: query)));
        Assert.Equal(12, ds.Train.Count);
        Assert.Equal([0f, 1f, 0f, 1f], ds.Train.Labels["stream"][..4]);

        var bad = query.Edit("(plays > 0)::INT", "CASE WHEN plays > 0 THEN 2 ELSE 0 END");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: bad), "bad.yaml")), "input.query", "column 'stream'", "row 2");
    }

    [Fact]
    public void Rows_outside_every_range_are_dropped_and_counted()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var split = Podcast.Ranges.Edit("from: 0, to: 6", "from: 1, to: 6").Edit("from: 8, to: 10", "from: 8, to: 9");
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(split: split)));
        Assert.Equal(10, ds.Train.Count);
        Assert.Equal(2, ds.Test.Count);
        Assert.Equal(4, ds.Report.RowsDropped);
    }

    [Fact]
    public void Quantile_fractions_keep_ties_together()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var split = "split:\n  column: day\n  fractions: { train: 0.55, val: 0.2, test: 0.25 }";
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(split: split)));
        // 20 rows, two per day: the 11th sorted value is day 5, so day 5's pair goes to val with day 6 (cut at 15 -> day 7).
        Assert.Equal(10, ds.Train.Count);
        Assert.Equal(4, ds.Val.Count);
        Assert.Equal(6, ds.Test.Count);
        Assert.Equal([5.0, 7.0], ds.Report.CutPoints);
    }

    [Fact]
    public void Timestamp_split_compares_ranges_to_unix_seconds()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("i // 2 AS day", "TIMESTAMP '1970-01-01' + INTERVAL (i // 2) DAY AS day"));
        var split = Podcast.Ranges.Edit("to: 6 }", "to: 518400 }").Edit("from: 6, to: 8", "from: 518400, to: 691200")
            .Edit("from: 8, to: 10", "from: 691200, to: 864000");
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet", split: split)));
        Assert.Equal([12, 4, 4], new[] { ds.Train.Count, ds.Val.Count, ds.Test.Count });
    }

    [Fact]
    public void Time_column_orders_rows_within_each_split()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("i + 1 AS impression_id", "i + 1 AS impression_id, 100 - i AS ts"));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet", extra: "time_column: ts")));
        Assert.Equal(Enumerable.Range(1, 12).Reverse().Select(i => i.ToString()).ToArray(), ds.Train.Keys["impression_id"]);
        Assert.Equal(ds.Train.Keys["impression_id"].Select(k => int.Parse(k!) % 4 == 0 ? 1 : 0), ds.Train.Source);
        // Lists and dense arrays follow the same permutation.
        Assert.Equal(ds.Train.Keys["impression_id"].Select(k => (float)((int.Parse(k!) - 1) % 2)), ds.Train.Labels["stream"]);
    }

    [Fact]
    public void Labels_are_NaN_where_null_or_not_observable_for_the_source()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var click = ds.Train.Labels["click"];
        for (int i = 0; i < ds.Train.Count; i++)
        {
            if (ds.Train.Source[i] == 0) Assert.True(float.IsNaN(click[i]));
            else Assert.False(float.IsNaN(click[i]));
        }
        Assert.Equal(1f, click[3]);
        Assert.Equal(0f, click[7]);
    }

    [Fact]
    public void Lists_vectors_truth_and_analysis_are_encoded()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Edit("AS modality", "AS modality, " +
            "CASE WHEN i = 1 THEN NULL ELSE list_transform(range(i % 4), x -> 's' || x::VARCHAR) END AS history, " +
            "[i::FLOAT, 1.0::FLOAT, 2.0::FLOAT] AS emb, i / 20.0 AS p_stream, i % 8 AS tier, 'slot' || (i % 2)::VARCHAR AS slot"));
        var yaml = Podcast.Yaml(input: "path: data.parquet",
            extraFeatures: "  - { name: history, group: user, kind: categorical_list, max_length: 2 }\n  - { name: emb, group: content, kind: vector, dim: 3 }")
            .Edit("- { name: stream }", "- { name: stream, truth: p_stream }")
            .Edit("modality: modality", "modality: modality\n  tier: tier\n  slot: slot");
        var ds = DatasetLoader.Load(dir.Config(yaml));
        var t = ds.Train;
        var off = t.ListOffsets["history"];
        Assert.Equal(t.Count + 1, off.Length);
        // Row 0: empty list; row 1: null list; row 2: [s0, s1]; row 3: [s0, s1, s2] truncated to 2.
        Assert.Equal([0, 0, 0, 2, 4], off[..5]);
        Assert.Equal(t.Ids["history"][0], t.Ids["history"][2]);
        Assert.Equal(3 * t.Count, t.Dense["emb"].Length);
        Assert.Equal([2f, 1f, 2f], t.Dense["emb"][6..9]);
        Assert.Equal(0.1f, t.Truth["stream"][2], 5);
        Assert.Equal(3.0, t.Analysis["tier"][3]);
        Assert.Equal("slot1", t.AnalysisText["slot"][1]);
    }

    [Fact]
    public void Progress_is_reported_for_every_phase()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var seen = new List<LoadProgress>();
        DatasetLoader.Load(dir.Config(Podcast.Yaml()), new SyncProgress(seen.Add));
        Assert.Contains(seen, p => p.Phase == LoadPhase.Schema);
        Assert.Contains(seen, p => p.Phase == LoadPhase.Fit && p.Rows == 20);
        Assert.Contains(seen, p => p.Phase == LoadPhase.Encode && p.Rows == 20);
    }

    [Fact]
    public void Cancellation_stops_the_load()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DatasetLoader.Load(dir.Config(Podcast.Yaml()), null, cts.Token));
    }

    private sealed class SyncProgress(Action<LoadProgress> report) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) => report(value);
    }
}
