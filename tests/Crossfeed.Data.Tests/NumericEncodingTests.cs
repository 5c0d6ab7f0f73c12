using System.Text.Json.Nodes;
using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

public sealed class NumericEncodingTests
{
    private const string BinnedFeatures = """
          - { name: minutes_bins, column: minutes, group: user, kind: numeric, encoding: quantile_bins, bins: 4 }
          - { name: minutes_pl, column: minutes, group: user, kind: numeric, encoding: piecewise_linear, bins: 4 }
        """;

    /// <summary>Train rows are i = 0..11 with minutes 10 i; row 5 has no minutes.</summary>
    private static EncodedDataset LoadBinned(TempDir dir)
    {
        dir.Write("data.csv", Podcast.Csv(i => i == 5 ? "6,2,promotion,u0,g2,,1,,audio" : null));
        return DatasetLoader.Load(dir.Config(Podcast.Yaml(extraFeatures: BinnedFeatures)));
    }

    [Fact]
    public void Quantile_edges_are_the_sorted_values_at_positions_j_times_n_minus_1_over_bins()
    {
        // n = 9, bins = 4: positions floor(j * 8 / 4) = 0, 2, 4, 6, 8 -> values 1, 3, 5, 7, 9.
        Assert.Equal([1.0, 3, 5, 7, 9], NumericBins.Edges([1.0, 2, 3, 4, 5, 6, 7, 8, 9], 4));
        // n = 10, bins = 3: positions floor(j * 9 / 3) = 0, 3, 6, 9 -> values 10, 40, 70, 100.
        Assert.Equal([10.0, 40, 70, 100], NumericBins.Edges([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100], 3));
        // n = 5, bins = 3: positions floor(j * 4 / 3) = 0, 1, 2, 4 (rounded down) -> values 1, 2, 3, 5.
        Assert.Equal([1.0, 2, 3, 5], NumericBins.Edges([1.0, 2, 3, 4, 5], 3));
    }

    [Fact]
    public void A_value_holding_more_than_a_buckets_share_gets_its_own_bucket_and_a_constant_column_keeps_one()
    {
        // 9 values, 4 buckets: 0 holds 6 > 9 / 4 rows, so [0, 1) is its own bucket (1 is the next value); the
        // other 3 buckets are quantiles of [1, 2, 3]: positions floor(j * 2 / 3) = 0, 0, 1, 2 -> 1, 1, 2, 3.
        Assert.Equal([0.0, 1, 2, 3], NumericBins.Edges([0.0, 0, 0, 0, 0, 0, 1, 2, 3], 4));
        // A point mass inside the range: 5 holds 5 > 9 / 3 rows -> edges 5 and 8; 2 buckets over [1, 2, 8, 9]:
        // positions floor(j * 3 / 2) = 0, 1, 3 -> 1, 2, 9. So [1, 2), [2, 5), [5, 8) (only the fives), [8, 9].
        Assert.Equal([1.0, 2, 5, 8, 9], NumericBins.Edges([1.0, 2, 5, 5, 5, 5, 5, 8, 9], 3));
        Assert.Equal([5.0, 5], NumericBins.Edges([5.0, 5, 5], 8));
    }

    [Theory]
    [InlineData(-1.0, 0)]   // below the first edge: first bucket
    [InlineData(0.0, 0)]    // [0, 1)
    [InlineData(0.5, 0)]
    [InlineData(1.0, 1)]    // [1, 3): an edge opens its bucket
    [InlineData(2.9, 1)]
    [InlineData(3.0, 1)]    // at or above the last edge: last bucket
    [InlineData(70.0, 1)]
    public void Bucket_is_the_half_open_interval_with_the_ends_clamped(double x, int bucket) =>
        Assert.Equal(bucket, NumericBins.Bucket([0.0, 1, 3], x));

    [Theory]
    [InlineData(4.0, new[] { 1f, 0.5f, 0f, 0f })]   // [1,3): 4 >= 3 -> 1; [3,5): (4 - 3) / 2 = 0.5; later buckets 0
    [InlineData(6.0, new[] { 1f, 1f, 0.5f, 0f })]   // [5,7): (6 - 5) / 2 = 0.5
    [InlineData(8.5, new[] { 1f, 1f, 1f, 0.75f })]  // [7,9): (8.5 - 7) / 2 = 0.75
    [InlineData(0.0, new[] { 0f, 0f, 0f, 0f })]     // below b0: all 0
    [InlineData(9.0, new[] { 1f, 1f, 1f, 1f })]     // x >= last edge: all 1
    public void Piecewise_linear_components_follow_the_hand_computed_ramps(double x, float[] expected)
    {
        var into = new float[4];
        NumericBins.Piecewise([1.0, 3, 5, 7, 9], x, into);
        Assert.Equal(expected, into);
    }

    [Fact]
    public void Binned_encodings_are_fitted_on_train_and_a_null_gets_its_own_id_and_indicator()
    {
        using var dir = new TempDir();
        var ds = LoadBinned(dir);
        // Train minutes without row 5: 0, 10, 20, 30, 40, 60, ..., 110 (n = 11). bins 4: positions
        // floor(j * 10 / 4) = 0, 2, 5, 7, 10 -> edges 0, 20, 60, 80, 110.
        var bins = ds.Preprocessor.Feature("minutes_bins");
        Assert.Equal([0.0, 20, 60, 80, 110], bins.Edges);
        Assert.True(bins.HasNulls);
        Assert.Equal(4 + 1, ds.Preprocessor.TableRows("minutes_bins"));
        // id 0 = null, 1 + bucket: 0 -> [0,20) id 1; 30 -> [20,60) id 2; 60 -> [60,80) id 3; 90 -> [80,110] id 4.
        var ids = ds.Train.Ids["minutes_bins"];
        Assert.Equal([1, 2, 0, 3, 4], new[] { ids[0], ids[3], ids[5], ids[6], ids[9] });
        Assert.All(ds.Test.Ids["minutes_bins"], id => Assert.Equal(4, id)); // 160..190 are above the last edge
        Assert.DoesNotContain("minutes_bins", UnseenIds.Shares(ds.Test, ds.Preprocessor).Keys); // buckets have no vocabulary

        // piecewise_linear: 4 ramps plus the null indicator (train had a null), so 5 values per row.
        Assert.Equal(5, ds.Preprocessor.TableRows("minutes_pl"));
        var pl = ds.Train.Piecewise["minutes_pl"];
        Assert.Equal([1f, 0.25f, 0f, 0f, 0f], pl[(3 * 5)..(4 * 5)]);  // 30: (30 - 20) / 40 = 0.25
        Assert.Equal([0f, 0f, 0f, 0f, 1f], pl[(5 * 5)..(6 * 5)]);     // null: indicator only
        Assert.Equal([1f, 1f, 1f, 1f / 3f, 0f], pl[(9 * 5)..(10 * 5)]); // 90: (90 - 80) / 30
        Assert.Equal([1f, 1f, 1f, 1f, 0f], ds.Test.Piecewise["minutes_pl"][..5]);

        // Dense keeps the standardised scalar for every numeric (tree peers read it): equal to a standardize feature's.
        Assert.Equal(ds.Train.Dense["minutes"].Length, ds.Train.Dense["minutes_bins"].Length);
        Assert.NotEqual(0f, ds.Train.Dense["minutes_bins"][3]);
    }

    [Fact]
    public void Edges_survive_the_preprocessor_json_and_encode_scoring_rows_identically()
    {
        using var dir = new TempDir();
        var ds = LoadBinned(dir);
        var back = Preprocessor.FromJson(ds.Preprocessor.ToJson());
        Assert.Equal(ds.Preprocessor.Feature("minutes_pl").Edges, back.Feature("minutes_pl").Edges);
        Assert.True(back.Feature("minutes_pl").HasNulls);
        var test = DatasetLoader.Encode(ds.Config, back, SplitName.Test);
        Assert.Equal(ds.Test.Piecewise["minutes_pl"], test.Piecewise["minutes_pl"]);
        Assert.Equal(ds.Test.Ids["minutes_bins"], test.Ids["minutes_bins"]);
    }

    [Fact]
    public void A_preprocessor_json_written_before_encodings_existed_reads_as_standardize()
    {
        using var dir = new TempDir();
        dir.Write("data.csv", Podcast.Csv());
        var ds = DatasetLoader.Load(dir.Config(Podcast.Yaml()));
        var json = JsonNode.Parse(ds.Preprocessor.ToJson())!;
        foreach (var f in json["features"]!.AsArray())
        {
            var o = f!.AsObject();
            o.Remove("encoding");
            o.Remove("edges");
            o.Remove("has_nulls");
        }
        var old = Preprocessor.FromJson(json.ToJsonString());
        var minutes = old.Feature("minutes");
        Assert.Equal(NumericEncoding.Standardize, minutes.Encoding);
        Assert.Null(minutes.Edges);
        // log1p(30) standardised with the fitted statistics, as before encodings existed.
        Assert.Equal((float)((Math.Log(31) - minutes.Mean) / minutes.Std), old.Standardize("minutes", 30));
        Assert.Equal(ds.Test.Dense["minutes"], DatasetLoader.Encode(ds.Config, old, SplitName.Test).Dense["minutes"]);
    }

    [Theory]
    [InlineData("- { name: genre, group: content, kind: categorical, encoding: quantile_bins }", "features[1].encoding", "only numeric")]
    [InlineData("- { name: minutes, group: user, kind: numeric, transform: log1p, bins: 8 }", "features[2].bins", "quantile_bins or piecewise_linear")]
    [InlineData("- { name: minutes, group: user, kind: numeric, transform: log1p, encoding: cubic }", "features[2].encoding", "quantile_bins")]
    [InlineData("- { name: minutes, group: user, kind: numeric, encoding: quantile_bins, bins: 1 }", "features[2].bins", "between 2 and 1024")]
    public void Encoding_mistakes_name_the_key_path(string feature, string path, string what)
    {
        using var dir = new TempDir();
        var yaml = Podcast.Yaml();
        var original = feature.Contains("genre", StringComparison.Ordinal)
            ? "- { name: genre, group: content, kind: categorical }"
            : "- { name: minutes, group: user, kind: numeric, transform: log1p }";
        Assert.Contains(original, yaml);
        Expect.Bad(() => dir.Config(yaml.Edit(original, feature)), path, what);
    }
}
