namespace Crossfeed.Data.Tests;

/// <summary>Bad input stops with a BadInputException whose one-line message names file, column and row.</summary>
public sealed class ValidationTests
{
    private static void LoadCsv(TempDir dir, string csv, string? yaml = null)
    {
        dir.Write("data.csv", csv);
        DatasetLoader.Load(dir.Config(yaml ?? Podcast.Yaml()));
    }

    private static string WithLine(int row, string line) => Podcast.Csv(i => i == row ? line : null);

    [Fact]
    public void Missing_column_names_file_and_column()
    {
        using var dir = new TempDir();
        var csv = Podcast.Csv().Replace(",genre,", ",genre_x,");
        Expect.Bad(() => LoadCsv(dir, csv), "data.csv", "column 'genre'", "missing column", "feature 'genre'");
    }

    [Fact]
    public void Missing_column_with_other_case_suggests_the_name()
    {
        using var dir = new TempDir();
        var csv = Podcast.Csv().Replace(",genre,", ",Genre,");
        Expect.Bad(() => LoadCsv(dir, csv), "column 'genre'", "did you mean 'Genre'");
    }

    [Fact]
    public void Text_in_numeric_feature_names_file_column_and_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(2, "3,1,promotion,u2,g2,lots,0,,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "data.csv", "column 'minutes'", "row 3", "'lots'");
    }

    [Fact]
    public void Text_in_a_numeric_parquet_column_names_the_column_type()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("(i * 10)::DOUBLE AS minutes", "CASE WHEN i = 4 THEN 'x' ELSE i::VARCHAR END AS minutes"));
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "column 'minutes'", "row 5", "'x'");
    }

    [Fact]
    public void Non_list_column_for_categorical_list_names_file_and_column()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("AS modality", "AS modality, i AS history"));
        var yaml = Podcast.Yaml(input: "path: data.parquet", extraFeatures: "  - { name: history, group: user, kind: categorical_list }");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "data.parquet", "column 'history'", "categorical_list", "BIGINT");
    }

    [Fact]
    public void List_column_for_a_categorical_feature_says_to_use_categorical_list()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("'g' || (i % 3)::VARCHAR AS genre", "['g', 'h'] AS genre"));
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "column 'genre'", "use kind: categorical_list");
    }

    [Fact]
    public void Non_list_text_in_a_csv_list_column_names_the_row()
    {
        using var dir = new TempDir();
        var csv = Podcast.Csv(i => Podcast.Line(i) + (i == 5 ? ",s1" : ",\"[s1, s2]\"")).Replace("modality\n", "modality,history\n");
        var yaml = Podcast.Yaml(extraFeatures: "  - { name: history, group: user, kind: categorical_list }");
        Expect.Bad(() => LoadCsv(dir, csv, yaml), "column 'history'", "row 6", "expected a list");
    }

    [Fact]
    public void Vector_of_wrong_length_names_file_column_and_row()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("AS modality", "AS modality, CASE WHEN i = 7 THEN [1.0, 2.0] ELSE [1.0, 2.0, 3.0] END::FLOAT[] AS emb"));
        var yaml = Podcast.Yaml(input: "path: data.parquet", extraFeatures: "  - { name: emb, group: content, kind: vector, dim: 3 }");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "data.parquet", "column 'emb'", "row 8", "3 numbers, got 2");
    }

    [Fact]
    public void Vector_with_a_null_item_names_the_row()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("AS modality", "AS modality, CASE WHEN i = 2 THEN [1.0, NULL] ELSE [1.0, 2.0] END::FLOAT[] AS emb"));
        var yaml = Podcast.Yaml(input: "path: data.parquet", extraFeatures: "  - { name: emb, group: content, kind: vector, dim: 2 }");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "column 'emb'", "row 3", "null");
    }

    [Fact]
    public void Text_after_the_rows_duckdb_samples_for_types_names_column_and_row()
    {
        using var dir = new TempDir();
        var lines = new List<string> { Podcast.Header };
        for (int i = 0; i < 25_000; i++) lines.Add(i == 24_000 ? "24001,3,promotion,u1,g0,many,0,,audio" : Podcast.Line(i % 20));
        Expect.Bad(() => LoadCsv(dir, string.Join("\n", lines) + "\n"), "data.csv", "column 'minutes'", "row 24001", "'many'");
    }

    [Fact]
    public void Label_outside_0_1_names_file_column_and_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(3, "4,1,ad,u3,g0,30,2,1,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "data.csv", "column 'stream'", "row 4", "got 2");
    }

    [Fact]
    public void Label_as_text_names_the_value()
    {
        using var dir = new TempDir();
        var csv = WithLine(9, "10,4,promotion,u4,g0,90,yes,,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "column 'stream'", "row 10", "'yes'");
    }

    [Fact]
    public void Labels_accept_integers_booleans_and_0_0_or_1_0()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("(i % 2)::INT AS stream", "(i % 2 = 1) AS stream")
            .Replace("(i % 8 = 3)::INT END AS click", "(i % 8 = 3)::INT::DOUBLE END AS click"));
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet")));
        Assert.Equal([0f, 1f, 0f, 1f], ds.Train.Labels["stream"][..4]);
        Assert.Equal(1f, ds.Train.Labels["click"][3]);
        dir.Write("data.csv", Podcast.Csv(i => i == 1 ? "2,0,promotion,u1,g1,10,1.0,,audio" : i == 2 ? "3,1,promotion,u2,g2,20,true,,audio" : null));
        var csv = DatasetLoader.Load(dir.Config(Podcast.Yaml(), "csv.yaml"));
        Assert.Equal([0f, 1f, 1f, 1f], csv.Train.Labels["stream"][..4]);
    }

    [Fact]
    public void NaN_in_a_numeric_feature_names_the_row()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("(i * 10)::DOUBLE AS minutes", "CASE WHEN i = 6 THEN 'nan'::DOUBLE ELSE i * 10.0 END AS minutes"));
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "column 'minutes'", "row 7", "NaN");
    }

    [Fact]
    public void Infinity_in_a_csv_numeric_column_names_the_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(14, "15,7,promotion,u4,g2,inf,0,,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "column 'minutes'", "row 15", "inf");
    }

    [Fact]
    public void Log1p_of_a_value_below_minus_one_names_the_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(0, "1,0,promotion,u0,g0,-5,0,,video");
        Expect.Bad(() => LoadCsv(dir, csv), "column 'minutes'", "row 1", "log1p");
    }

    [Fact]
    public void Empty_split_names_the_split_and_its_range()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var split = Podcast.Ranges.Replace("from: 6, to: 8", "from: 42, to: 49").Replace("from: 8, to: 10", "from: 49, to: 56");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(split: split))), "data.csv", "column 'day'", "split 'val' has no rows (day in [42, 49))");
    }

    [Fact]
    public void Empty_training_split_is_reported_before_fitting()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var split = Podcast.Ranges.Replace("from: 0, to: 6", "from: -10, to: -1");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(split: split))), "split 'train' has no rows (day in [-10, -1))");
    }

    [Fact]
    public void Unknown_source_value_names_file_column_row_and_value()
    {
        using var dir = new TempDir();
        var csv = WithLine(4, "5,2,podcast,u4,g1,40,0,,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "data.csv", "column 'source'", "row 5", "unknown source 'podcast'", "promotion, ad");
    }

    [Fact]
    public void Empty_source_names_the_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(1, "2,0,,u1,g1,10,1,,audio");
        Expect.Bad(() => LoadCsv(dir, csv), "column 'source'", "row 2", "empty");
    }

    [Fact]
    public void Duplicated_csv_header_column_names_file_and_column()
    {
        using var dir = new TempDir();
        var csv = Podcast.Csv().Replace("modality\n", "genre\n");
        Expect.Bad(() => LoadCsv(dir, csv, Podcast.Yaml(extra: "").Replace("analysis:\n  modality: modality", "")), "data.csv", "column 'genre'", "duplicated");
    }

    [Fact]
    public void Duplicated_parquet_column_names_file_and_column()
    {
        using var dir = new TempDir();
        var path = dir.File("data.parquet");
        var cols = new ParquetSharp.Column[] { new ParquetSharp.Column<long>("day"), new ParquetSharp.Column<long>("day") };
        using (var w = new ParquetSharp.ParquetFileWriter(path, cols))
        {
            using var rg = w.AppendRowGroup();
            using (var c = rg.NextColumn().LogicalWriter<long>()) c.WriteBatch([1, 2]);
            using (var c = rg.NextColumn().LogicalWriter<long>()) c.WriteBatch([3, 4]);
            w.Close();
        }
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "column 'day'", "duplicated");
    }

    [Fact]
    public void Random_bytes_as_parquet_give_a_clean_error_naming_the_file()
    {
        using var dir = new TempDir();
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(dir.File("data.parquet"), bytes);
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "cannot read the file");
    }

    [Fact]
    public void Random_bytes_as_csv_give_a_clean_error_naming_the_file()
    {
        using var dir = new TempDir();
        var bytes = new byte[4096];
        new Random(2).NextBytes(bytes);
        File.WriteAllBytes(dir.File("data.csv"), bytes);
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml())), "data.csv", "not text");
    }

    [Fact]
    public void Truncated_parquet_gives_a_clean_error_naming_the_file()
    {
        using var dir = new TempDir();
        var full = dir.Parquet("full.parquet", Podcast.Select);
        var bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(dir.File("data.parquet"), bytes[..(bytes.Length / 2)]);
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "cannot read the file");
    }

    [Fact]
    public void Corrupted_parquet_pages_give_a_clean_error_naming_the_file()
    {
        using var dir = new TempDir();
        var full = dir.Parquet("full.parquet", Podcast.Select.Replace("range(20)", "range(50000)"));
        var bytes = File.ReadAllBytes(full);
        var noise = new Random(3);
        for (int i = bytes.Length / 10; i < bytes.Length / 10 + 2000; i++) bytes[i] = (byte)noise.Next(256);
        File.WriteAllBytes(dir.File("data.parquet"), bytes);
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "cannot read the file");
    }

    [Fact]
    public void Empty_csv_gives_a_clean_error()
    {
        using var dir = new TempDir();
        Expect.Bad(() => LoadCsv(dir, ""), "data.csv", "empty");
    }

    [Fact]
    public void Header_only_csv_is_reported_as_having_no_data_rows()
    {
        using var dir = new TempDir();
        Expect.Bad(() => LoadCsv(dir, Podcast.Header + "\n"), "data.csv", "no data rows");
    }

    [Fact]
    public void Ragged_csv_names_the_row()
    {
        using var dir = new TempDir();
        var csv = WithLine(6, "7,3,promotion,u1");
        Expect.Bad(() => LoadCsv(dir, csv), "data.csv", "row 7", "4 fields, expected 9");
    }

    [Fact]
    public void Column_names_count_not_matching_the_file_is_reported()
    {
        using var dir = new TempDir();
        dir.Write("data.tsv", string.Join("\n", Enumerable.Range(0, 20).Select(i => Podcast.Line(i).Replace(',', '\t'))) + "\n");
        var yaml = Podcast.Yaml(input: "path: data.tsv\nheader: false\ncolumn_names: [impression_id, day, source, user_id, genre, minutes, stream, click]");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "data.tsv", "9 columns", "column_names lists 8");
    }

    [Fact]
    public void Folder_without_shards_gives_a_clean_error()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("shards"));
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: shards"))), "shards", "no *.parquet");
    }

    [Fact]
    public void Missing_file_and_unmatched_glob_give_clean_errors()
    {
        using var dir = new TempDir();
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: nowhere.parquet"))), "nowhere.parquet", "file not found");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: logs/*.parquet"), "g.yaml")), "logs/*.parquet", "no files match");
    }

    [Fact]
    public void Failing_query_names_the_query_and_duckdb_reason()
    {
        using var dir = new TempDir();
        var yaml = Podcast.Yaml(input: "query: \"SELECT * FROM read_csv('{dir}/absent.csv')\"");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "input.query", "the query failed", "absent.csv");
    }

    [Fact]
    public void Truth_outside_0_1_names_the_row()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("AS modality", "AS modality, CASE WHEN i = 9 THEN 1.5 ELSE 0.5 END AS p_stream"));
        var yaml = Podcast.Yaml(input: "path: data.parquet").Replace("- { name: stream }", "- { name: stream, truth: p_stream }");
        Expect.Bad(() => DatasetLoader.Load(dir.Config(yaml)), "column 'p_stream'", "row 10", "[0, 1]");
    }

    [Fact]
    public void Text_split_column_is_a_type_error()
    {
        using var dir = new TempDir();
        dir.Parquet("data.parquet", Podcast.Select.Replace("i // 2 AS day", "'d' || (i // 2)::VARCHAR AS day"));
        Expect.Bad(() => DatasetLoader.Load(dir.Config(Podcast.Yaml(input: "path: data.parquet"))), "data.parquet", "column 'day'", "numbers or timestamps");
    }
}
