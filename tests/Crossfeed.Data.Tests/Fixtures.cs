using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data.Tests;

/// <summary>A temp folder for fixture files, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crossfeed-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var p = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    /// <summary>Writes the result of a DuckDB SELECT as Parquet.</summary>
    public string Parquet(string name, string select)
    {
        var p = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"COPY ({select}) TO '{p}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
        return p;
    }

    public DatasetConfig Config(string yaml, string name = "dataset.yaml") => DatasetConfigLoader.Load(Write(name, yaml));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A small podcast-like dataset: 20 rows, days 0..9, two sources, two labels.</summary>
internal static class Podcast
{
    public const string Header = "impression_id,day,source,user_id,genre,minutes,stream,click,modality";

    /// <summary>Row i: day i/2, ad when i % 4 == 3, user u(i%5), genre g(i%3).</summary>
    public static string Csv(Func<int, string?>? replaceLine = null)
    {
        var lines = new List<string> { Header };
        for (int i = 0; i < 20; i++)
        {
            var line = replaceLine?.Invoke(i) ?? Line(i);
            lines.Add(line);
        }
        return string.Join("\n", lines) + "\n";
    }

    public static string Line(int i)
    {
        var source = i % 4 == 3 ? "ad" : "promotion";
        var click = source == "ad" ? (i % 8 == 3 ? "1" : "0") : "";
        return $"{i + 1},{i / 2},{source},u{i % 5},g{i % 3},{i * 10},{i % 2},{click},{(i % 3 == 0 ? "video" : "audio")}";
    }

    public const string Select =
        "SELECT i + 1 AS impression_id, i // 2 AS day, CASE WHEN i % 4 = 3 THEN 'ad' ELSE 'promotion' END AS source, " +
        "'u' || (i % 5)::VARCHAR AS user_id, 'g' || (i % 3)::VARCHAR AS genre, (i * 10)::DOUBLE AS minutes, (i % 2)::INT AS stream, " +
        "CASE WHEN i % 4 = 3 THEN (i % 8 = 3)::INT END AS click, CASE WHEN i % 3 = 0 THEN 'video' ELSE 'audio' END AS modality " +
        "FROM range(20) t(i)";

    public static string Yaml(string input = "path: data.csv", string split = Ranges, string extraFeatures = "", string keys = "[impression_id]", string extra = "") => $$"""
        name: podcast-test
        input:
          {{input.Replace("\n", "\n  ")}}
        source:
          column: source
          values: [promotion, ad]
        {{split}}
        keys: {{keys}}
        features:
          - { name: user_id, group: user, kind: categorical }
          - { name: genre, group: content, kind: categorical }
          - { name: minutes, group: user, kind: numeric, transform: log1p }
        {{extraFeatures}}
        labels:
          - { name: stream }
          - { name: click, sources: [ad] }
        analysis:
          modality: modality
        {{extra}}
        """;

    public const string Ranges = """
        split:
          column: day
          train: { from: 0, to: 6 }
          val: { from: 6, to: 8 }
          test: { from: 8, to: 10 }
        """;
}

internal static class Expect
{
    /// <summary>Runs the action, expects a BadInputException and checks the message names every given part.</summary>
    public static BadInputException Bad(Action action, params string[] mentions)
    {
        var e = Assert.Throws<BadInputException>(action);
        foreach (var m in mentions) Assert.Contains(m, e.Message);
        Assert.DoesNotContain("\n", e.Message.TrimEnd());
        return e;
    }
}
