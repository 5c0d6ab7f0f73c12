namespace Crossfeed.Core.Tests;

public class DatasetConfigTests
{
    private const string Good = """
        name: d
        input: { path: logs/x.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 42 }, val: { from: 42, to: 49 }, test: { from: 49, to: 56 } }
        features:
          - { name: show_id, group: content, embedding_dim: 8 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 8 }
          - { name: minutes, group: user, kind: numeric, transform: log1p }
        labels:
          - { name: stream, truth: p_stream }
          - { name: like, sources: [promotion] }
        """;

    private static DatasetConfig Parse(string yaml) => DatasetConfigLoader.Parse(yaml, "d.yaml", "/data");

    [Fact]
    public void A_valid_dataset_config_resolves_paths_and_defaults()
    {
        var d = Parse(Good);
        Assert.Equal("/data/logs/x.parquet", d.Input.Path);
        Assert.Equal(FeatureKind.CategoricalList, d.Feature("history_shows")!.Kind);
        Assert.Equal("show_id", d.Feature("history_shows")!.ShareTable);
        Assert.Equal(NumericTransform.Log1p, d.Feature("minutes")!.Transform);
        Assert.Equal(["promotion", "ad"], d.Label("stream")!.Sources);
        Assert.Equal(["promotion"], d.Label("like")!.Sources);
        Assert.True(d.Split.Ranges![SplitName.Val].Contains(42));
        Assert.False(d.Split.Ranges![SplitName.Val].Contains(49));
    }

    [Theory]
    [InlineData("kind: categorical_list, share_table: show_id", "kind: bag", "features[1].kind", "bag")]
    [InlineData("share_table: show_id", "share_table: ghost", "features[1].share_table", "ghost")]
    [InlineData("- { name: like, sources: [promotion] }", "- { name: like, sources: [email] }", "labels[1].sources", "email")]
    [InlineData("val: { from: 42, to: 49 }", "val: { from: 40, to: 49 }", "split", "overlap")]
    [InlineData("input: { path: logs/x.parquet }", "input: { path: a, query: 'select 1' }", "input", "exactly one")]
    [InlineData("name: d\n", "name: d\nsurprise: 1\n", "surprise", "unknown key")]
    [InlineData("- { name: minutes, group: user,", "- { name: show_id, group: user,", "features", "listed twice")]
    [InlineData("embedding_dim: 8 }\n  - { name: minutes", "embedding_dim: 4 }\n  - { name: minutes", "features[1].embedding_dim", "shared table")]
    public void Bad_dataset_configs_name_the_offending_key(string find, string replace, string key, string detail)
    {
        var yaml = Good.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Good, yaml);
        var e = Assert.Throws<BadInputException>(() => Parse(yaml));
        Assert.Contains(key, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void Invalid_yaml_reports_the_line()
    {
        var e = Assert.Throws<BadInputException>(() => Parse("name: [unclosed\n"));
        Assert.Contains("line", e.Message);
    }
}
