using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Serving.Tests;

public sealed class FeatureSnapshotTests(FeatureLogFixture log) : IClassFixture<FeatureLogFixture>
{
    [Fact]
    public void The_manifest_counts_entities_and_names_key_and_feature_columns()
    {
        var m = FeatureSnapshot.ReadManifest(log.Latest);
        Assert.Equal("feature-test", m.Dataset);
        Assert.Equal("ts", m.TimeColumn);
        Assert.Null(m.AsOf);
        Assert.Equal([("user", "user_id", 2L), ("show", "show_id", 3L), ("creative", "creative_id", 3L)],
                     m.Tables.Select(t => (t.Entity, t.KeyColumn, t.Rows)));
        Assert.Equal(["user_id", "country", "minutes", "premium", "history"], m.Tables[0].Columns);
        foreach (var f in new[] { "users.parquet", "shows.parquet", "creatives.parquet", "snapshot.json" })
            Assert.True(File.Exists(Path.Combine(log.Latest, f)), f);
    }

    [Fact]
    public void The_as_of_manifest_records_the_cut_in_unix_seconds_and_fewer_entities()
    {
        var m = FeatureSnapshot.ReadManifest(log.AtCut);
        Assert.Equal(1704196800.0, m.AsOf); // 2024-01-02T12:00:00Z
        Assert.Equal([2L, 2L, 2L], m.Tables.Select(t => t.Rows));
    }

    [Fact]
    public void A_kind_whose_key_column_is_missing_is_skipped_with_a_note()
    {
        var notes = new List<string>();
        var dir = Path.Combine(log.Root, $"no-creatives-{Guid.NewGuid():N}");
        var m = FeatureSnapshot.Write(DatasetConfigLoader.Load(log.Dataset), dir, new SnapshotOptions(CreativeKey: "campaign_id"), notes.Add);
        Assert.Equal(["user", "show"], m.Tables.Select(t => t.Entity));
        Assert.False(File.Exists(Path.Combine(dir, "creatives.parquet")));
        Assert.Equal("no creatives: the input has no column 'campaign_id' (set --creative-key)", Assert.Single(notes));
    }

    [Theory]
    [InlineData("1704196800", 1704196800.0)]
    [InlineData("42", 42.0)]
    [InlineData("2024-01-02", 1704153600.0)]
    [InlineData("2024-01-02T12:00:00+02:00", 1704189600.0)]
    public void As_of_times_parse_as_numbers_or_iso_dates(string text, double seconds)
    {
        Assert.True(FeatureSnapshot.TryParseTime(text, out var value));
        Assert.Equal(seconds, value);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1/2/2024")]
    [InlineData("NaN")]
    public void Other_as_of_texts_do_not_parse(string text) => Assert.False(FeatureSnapshot.TryParseTime(text, out _));
}
