using Crossfeed.Serving.Features;
using DuckDB.NET.Data;

namespace Crossfeed.Serving.Tests;

/// <summary>
/// A five-row impression log with hand-chosen values (written as Parquet by DuckDB) and its dataset YAML.
/// User 1 has rows on Jan 1, 3 and 2 (in that file order), user 9007199254740993 (2^53 + 1, which a double
/// cannot hold) on Jan 1 and 4; the expected snapshots below are worked out by hand from these rows.
/// </summary>
public static class FeatureTestLog
{
    public const string BigUser = "9007199254740993";

    /// <summary>Between rows 3 (Jan 2 08:00) and 2 (Jan 3 08:00).</summary>
    public const string Cut = "2024-01-02T12:00:00Z";

    public static string Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var log = Path.Combine(dir, "log.parquet");
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                COPY (SELECT impression_id::BIGINT AS impression_id, ts::TIMESTAMP AS ts, day::INTEGER AS day, source, user_id::BIGINT AS user_id,
                             country, minutes::DOUBLE AS minutes, premium::BOOLEAN AS premium, history::BIGINT[] AS history, show_id,
                             topics::VARCHAR[] AS topics, emb::DOUBLE[] AS emb, creative_id, bid::DOUBLE AS bid, stream::INTEGER AS stream
                      FROM (VALUES
                        (1, '2024-01-01 08:00:00', 0, 'promotion', 1, 'se', 10.5, false, [3], 's1', ['news'], [0.25, -1.0], 'c1', 1.5, 1),
                        (2, '2024-01-03 08:00:00', 2, 'ad', 1, 'no', 20.25, true, [3, 4], 's2', ['comedy', 'talk'], [0.1, 2.0], 'c2', 2.0, 0),
                        (3, '2024-01-02 08:00:00', 1, 'promotion', 1, 'dk', 15.0, false, [5], 's1', ['sport'], [0.75, 3.0], 'c1', 1.75, 0),
                        (4, '2024-01-01 09:00:00', 0, 'ad', {BigUser}, 'fi', 1.0, NULL, [], 's2', ['talk'], [0.5, 0.5], 'c2', 2.5, 1),
                        (5, '2024-01-04 09:00:00', 3, 'promotion', {BigUser}, 'is', NULL, true, [7, 8, 9], 's3', ['music'], [1.0, 0.5], 'c3', 3.0, 0)
                      ) t(impression_id, ts, day, source, user_id, country, minutes, premium, history, show_id, topics, emb, creative_id, bid, stream))
                TO '{log}' (FORMAT parquet)
                """;
            cmd.ExecuteNonQuery();
        }
        var yaml = Path.Combine(dir, "dataset.yaml");
        File.WriteAllText(yaml, """
            name: feature-test
            input:
              path: log.parquet
            source:
              column: source
              values: [promotion, ad]
            time_column: ts
            split:
              column: day
              train: { from: 0, to: 2 }
              val: { from: 2, to: 3 }
              test: { from: 3, to: 4 }
            keys: [impression_id]
            features:
              - { name: user_id, group: user, kind: categorical }
              - { name: country, group: user, kind: categorical }
              - { name: minutes, group: user, kind: numeric }
              - { name: premium, group: user, kind: categorical }
              - { name: history, group: user, kind: categorical_list }
              - { name: show_id, group: content, kind: categorical }
              - { name: topics, group: content, kind: categorical_list }
              - { name: emb, group: content, kind: vector, dim: 2 }
              - { name: creative_id, group: creative, kind: categorical }
              - { name: bid, group: creative, kind: numeric }
            labels:
              - { name: stream, sources: [promotion, ad] }
            """);
        return yaml;
    }

    /// <summary>The latest row of each entity over the whole log.</summary>
    public static Dictionary<(EntityKind Kind, string Id), Dictionary<string, object?>> Latest() => new()
    {
        [(EntityKind.User, "1")] = new() { ["user_id"] = 1L, ["country"] = "no", ["minutes"] = 20.25, ["premium"] = true, ["history"] = new long[] { 3, 4 } },
        [(EntityKind.User, BigUser)] = new()
        {
            ["user_id"] = 9007199254740993L, ["country"] = "is", ["minutes"] = null, ["premium"] = true, ["history"] = new long[] { 7, 8, 9 },
        },
        [(EntityKind.Show, "s1")] = new() { ["show_id"] = "s1", ["topics"] = new[] { "sport" }, ["emb"] = new[] { 0.75, 3.0 } },
        [(EntityKind.Show, "s2")] = new() { ["show_id"] = "s2", ["topics"] = new[] { "comedy", "talk" }, ["emb"] = new[] { 0.1, 2.0 } },
        [(EntityKind.Show, "s3")] = new() { ["show_id"] = "s3", ["topics"] = new[] { "music" }, ["emb"] = new[] { 1.0, 0.5 } },
        [(EntityKind.Creative, "c1")] = new() { ["creative_id"] = "c1", ["bid"] = 1.75 },
        [(EntityKind.Creative, "c2")] = new() { ["creative_id"] = "c2", ["bid"] = 2.0 },
        [(EntityKind.Creative, "c3")] = new() { ["creative_id"] = "c3", ["bid"] = 3.0 },
    };

    /// <summary>The latest row of each entity at or before <see cref="Cut"/> (rows 1, 3 and 4): s3 and c3 do not exist yet.</summary>
    public static Dictionary<(EntityKind Kind, string Id), Dictionary<string, object?>> AtCut() => new()
    {
        [(EntityKind.User, "1")] = new() { ["user_id"] = 1L, ["country"] = "dk", ["minutes"] = 15.0, ["premium"] = false, ["history"] = new long[] { 5 } },
        [(EntityKind.User, BigUser)] = new()
        {
            ["user_id"] = 9007199254740993L, ["country"] = "fi", ["minutes"] = 1.0, ["premium"] = null, ["history"] = Array.Empty<long>(),
        },
        [(EntityKind.Show, "s1")] = new() { ["show_id"] = "s1", ["topics"] = new[] { "sport" }, ["emb"] = new[] { 0.75, 3.0 } },
        [(EntityKind.Show, "s2")] = new() { ["show_id"] = "s2", ["topics"] = new[] { "talk" }, ["emb"] = new[] { 0.5, 0.5 } },
        [(EntityKind.Creative, "c1")] = new() { ["creative_id"] = "c1", ["bid"] = 1.75 },
        [(EntityKind.Creative, "c2")] = new() { ["creative_id"] = "c2", ["bid"] = 2.5 },
    };

    /// <summary>Same keys, and every value of the same type and equal (arrays item by item).</summary>
    public static void AssertSameValues(IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, object?>? actual, string what)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, want) in expected)
        {
            var got = actual[name];
            if (want is null)
            {
                Assert.True(got is null, $"{what}.{name}: expected null, got {got}");
                continue;
            }
            Assert.True(got is not null, $"{what}.{name}: expected {want}, got null");
            Assert.True(want.GetType() == got.GetType(), $"{what}.{name}: expected a {want.GetType().Name}, got a {got.GetType().Name}");
            if (want is System.Collections.IEnumerable items && want is not string)
                Assert.Equal(items.Cast<object?>(), ((System.Collections.IEnumerable)got).Cast<object?>());
            else
                Assert.Equal(want, got);
        }
    }
}
