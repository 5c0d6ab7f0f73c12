using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Crossfeed.Data.Tests;

/// <summary>
/// Load speed on a synthetic impression log shaped like the simulator's world (~40 columns, two list
/// columns, a 16-float vector). 100k rows by default; CROSSFEED_BENCH_ROWS=1500000 measures the
/// default world's size (see docs/data.md for the figure and command).
/// </summary>
public sealed class LoadSpeedTests(ITestOutputHelper output)
{
    public static string WorldSelect(long rows) => $"""
        SELECT i AS impression_id, TIMESTAMP '2024-01-01' + INTERVAL (i * 4838400 // {rows}) SECOND AS ts, (i * 56 // {rows})::INT AS day,
          CASE WHEN hash(i) % 3 = 0 THEN 'ad' ELSE 'promotion' END AS source, 'home' AS surface, 'slot' || (i % 5)::VARCHAR AS slot,
          ['audio', 'video', 'display'][1 + (hash(i + 1) % 3)::INT] AS modality, 'grid' AS layout,
          (hash(i + 2) % 200000)::BIGINT AS user_id, ['us', 'gb', 'de', 'fr', 'se'][1 + (i % 5)::INT] AS country, (i % 7)::INT AS age_bucket,
          ['ios', 'android', 'web'][1 + (i % 3)::INT] AS device,
          [(hash(i + 3) % 5000)::BIGINT, (hash(i + 4) % 5000)::BIGINT, (hash(i + 5) % 5000)::BIGINT, (hash(i + 6) % 5000)::BIGINT, (hash(i + 7) % 5000)::BIGINT][1:1 + (i % 5)::INT] AS history_shows,
          (i % 50)::INT AS followed_count, (hash(i + 8) % 1000)::DOUBLE AS listening_minutes_30d,
          (hash(i + 9) % 5000)::BIGINT AS show_id, (hash(i + 10) % 100000)::BIGINT AS episode_id, 'g' || (i % 20)::VARCHAR AS genre,
          ['t' || (i % 30)::VARCHAR, 't' || (i % 17)::VARCHAR, 't' || (i % 11)::VARCHAR][1:1 + (i % 3)::INT] AS topics,
          list_transform(range(16), k -> ((hash(i * 16 + k) % 1000) / 1000.0)::FLOAT) AS show_embedding,
          (i % 900)::INT AS show_age_days, (i % 24)::INT AS hour, (i % 7)::INT AS day_of_week, ['new', 'returning'][1 + (i % 2)::INT] AS session_state,
          (hash(i + 11) % 300)::BIGINT AS campaign_id, (hash(i + 12) % 1500)::BIGINT AS creative_id, ['a', 'b', 'c'][1 + (i % 3)::INT] AS ad_format,
          (hash(i + 13) % 1000) / 100.0 AS bid_cpm,
          (hash(i + 14) % 10 = 0)::INT AS stream, (hash(i + 15) % 20 = 0)::INT AS click, (hash(i + 16) % 50 = 0)::INT AS "like", (hash(i + 17) % 100 = 0)::INT AS follow,
          (i % 8)::INT AS show_tier, (hash(i + 18) % 100000)::BIGINT AS show_streams_30d, (hash(i + 19) % 100) / 1000.0 AS cost,
          0.1 AS p_stream, 0.05 AS p_click, 0.02 AS p_like, 0.01 AS p_follow
        FROM range({rows}) t(i)
        """;

    public const string WorldYaml = """
        name: world
        input:
          path: world.parquet
        source: { column: source, values: [promotion, ad] }
        time_column: ts
        split:
          column: day
          train: { from: 0, to: 42 }
          val: { from: 42, to: 49 }
          test: { from: 49, to: 56 }
        keys: [impression_id, user_id, show_id]
        features:
          - { name: user_id, group: user, kind: categorical, min_count: 2 }
          - { name: country, group: user, kind: categorical }
          - { name: age_bucket, group: user, kind: categorical }
          - { name: device, group: user, kind: categorical }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id }
          - { name: followed_count, group: user, kind: numeric, transform: log1p }
          - { name: listening_minutes_30d, group: user, kind: numeric, transform: log1p }
          - { name: show_id, group: content, kind: categorical }
          - { name: episode_id, group: content, kind: categorical, hash_buckets: 50000 }
          - { name: genre, group: content, kind: categorical }
          - { name: topics, group: content, kind: categorical_list }
          - { name: show_embedding, group: content, kind: vector, dim: 16 }
          - { name: show_age_days, group: content, kind: numeric }
          - { name: hour, group: context, kind: categorical }
          - { name: day_of_week, group: context, kind: categorical }
          - { name: session_state, group: context, kind: categorical }
          - { name: surface, group: context, kind: categorical }
          - { name: slot, group: context, kind: categorical }
          - { name: layout, group: context, kind: categorical }
          - { name: modality, group: creative, kind: categorical }
          - { name: campaign_id, group: creative, kind: categorical }
          - { name: creative_id, group: creative, kind: categorical }
          - { name: ad_format, group: creative, kind: categorical }
          - { name: bid_cpm, group: creative, kind: numeric }
        labels:
          - { name: stream, truth: p_stream }
          - { name: click, sources: [ad], truth: p_click }
          - { name: like, truth: p_like }
          - { name: follow, truth: p_follow }
        analysis: { tier: show_tier, streams_30d: show_streams_30d, cost: cost, modality: modality, slot: slot }
        """;

    [Fact]
    public void World_shaped_parquet_loads_every_row_and_reports_its_speed()
    {
        var env = Environment.GetEnvironmentVariable("CROSSFEED_BENCH_ROWS");
        long rows = env is null ? 100_000 : long.Parse(env, CultureInfo.InvariantCulture);
        using var dir = new TempDir();
        var gen = Stopwatch.StartNew();
        dir.Parquet("world.parquet", WorldSelect(rows));
        output.WriteLine($"generated {rows:N0} rows in {gen.Elapsed.TotalSeconds:F1} s");

        var sw = Stopwatch.StartNew();
        var ds = DatasetLoader.Load(dir.Config(WorldYaml));
        sw.Stop();
        output.WriteLine($"{ds.Report}");
        output.WriteLine($"load + encode: {rows:N0} rows in {sw.Elapsed.TotalSeconds:F2} s = {rows / sw.Elapsed.TotalSeconds:N0} rows/s on {Environment.ProcessorCount} cores");

        Assert.Equal(rows, ds.Train.Count + ds.Val.Count + ds.Test.Count);
        Assert.Equal(16 * ds.Train.Count, ds.Train.Dense["show_embedding"].Length);
        Assert.Same(ds.Preprocessor.TableOf("show_id"), ds.Preprocessor.TableOf("history_shows"));
        // No speed floor: the figure is printed, not asserted (a shared 2-core machine makes wall time unreliable).
    }
}
