using System.Globalization;
using System.Text;

namespace Crossfeed.Simulation;

/// <summary>The dataset.yaml written beside impressions.parquet or the impressions/ shard folder (schema: docs/data.md).</summary>
internal static class DatasetYaml
{
    public const string FileName = "dataset.yaml";

    /// <summary>
    /// The config for the log of <paramref name="c"/>; with <paramref name="shards"/> its input is the shard folder
    /// (a folder input reads every Parquet file in it, in name order), else the single file.
    /// </summary>
    public static string Build(WorldConfig c, int? shards = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void Line(string s) => sb.Append(s).Append('\n');
        string name = c.Scenario == Scenario.Camoe ? "camoe-sim" : "podcast-sim";
        string layout = shards is { } n ? $" in {n.ToString(inv)} Parquet shards of whole days" : "";
        Line($"# Written by `crossfeed simulate` (scenario {c.Scenario.ToString().ToLowerInvariant()}, seed {c.Seed}, {c.Impressions.ToString(inv)} impressions{layout}).");
        bool adFollow = c.EffectiveAdFollowFromDay < c.Days;
        Line("# Labels are null where they are not observable: like on ads; follow on ads "
            + (adFollow ? "before day " + c.EffectiveAdFollowFromDay.ToString(inv) : "(never logged in this world)") + ".");
        Line($"name: {name}");
        Line("input:");
        Line(shards is null ? "  path: " + ImpressionWriter.FileName : "  path: " + ImpressionWriter.ShardFolder + "/");
        Line("  format: parquet");
        Line("source:");
        Line("  column: source");
        Line("  values: [promotion, ad]");
        Line("time_column: ts");
        Line("split:");
        Line("  column: day");
        Line($"  train: {{ from: 0, to: {c.TrainEndDay.ToString(inv)} }}");
        Line($"  val:   {{ from: {c.TrainEndDay.ToString(inv)}, to: {c.ValEndDay.ToString(inv)} }}");
        Line($"  test:  {{ from: {c.ValEndDay.ToString(inv)}, to: {c.Days.ToString(inv)} }}");
        Line("keys: [impression_id, user_id, show_id, episode_id]");
        Line("features:");
        Line("  # user");
        Line("  - { name: user_id, group: user, kind: categorical, embedding_dim: 16, min_count: 2 }");
        Line("  - { name: country, group: user, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: age_bucket, group: user, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: device, group: user, kind: categorical, embedding_dim: 4 }");
        Line($"  - {{ name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 16, pooling: mean, max_length: {c.HistoryMax.ToString(inv)} }}");
        Line("  - { name: followed_count, group: user, kind: numeric, transform: log1p }");
        Line("  - { name: listening_minutes_30d, group: user, kind: numeric, transform: log1p }");
        Line("  # content (episode_id is a key, not a feature: most episodes are seen once or twice)");
        Line("  - { name: show_id, group: content, kind: categorical, embedding_dim: 16, min_count: 1 }");
        Line("  - { name: genre, group: content, kind: categorical, embedding_dim: 8 }");
        Line("  - { name: topics, group: content, kind: categorical_list, embedding_dim: 8, pooling: mean, max_length: 4 }");
        Line($"  - {{ name: show_embedding, group: content, kind: vector, dim: {c.EmbeddingDim.ToString(inv)} }}");
        Line("  - { name: show_age_days, group: content, kind: numeric, transform: log1p }");
        Line("  # context");
        Line("  - { name: hour, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: day_of_week, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: session_state, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: surface, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: slot, group: context, kind: categorical, embedding_dim: 8 }");
        Line("  - { name: modality, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: layout, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: listening_show_id, group: context, kind: categorical, share_table: show_id, embedding_dim: 16 }");
        if (c.Scenario == Scenario.Camoe)
            Line("  - { name: content_type, group: context, kind: categorical, embedding_dim: 4 }");
        Line("  # creative (null on promotions)");
        Line("  - { name: campaign_id, group: creative, kind: categorical, embedding_dim: 8, min_count: 2 }");
        Line("  - { name: creative_id, group: creative, kind: categorical, embedding_dim: 8, min_count: 2 }");
        Line("  - { name: ad_format, group: creative, kind: categorical, embedding_dim: 4 }");
        Line("  - { name: bid_cpm, group: creative, kind: numeric, transform: log1p }");
        Line("  - { name: campaign_exposures, group: creative, kind: numeric, transform: log1p }");
        Line("labels:");
        Line("  - { name: stream, sources: [promotion, ad], truth: p_stream }");
        Line("  - { name: click, sources: [promotion, ad], truth: p_click }");
        Line("  - { name: like, sources: [promotion], truth: p_like }");
        Line(adFollow ? "  - { name: follow, sources: [promotion, ad], truth: p_follow }" : "  - { name: follow, sources: [promotion], truth: p_follow }");
        Line("analysis:");
        Line("  tier: show_tier");
        Line("  streams_30d: show_streams_30d");
        Line("  less_streamed_below: " + c.LessStreamedThreshold.ToString(inv));
        Line("  cost: cost");
        Line("  modality: modality");
        Line("  slot: slot");
        if (c.Scenario == Scenario.Camoe) Line("  content_type: content_type");
        return sb.ToString();
    }
}
