using System.Globalization;
using Crossfeed.Data;
using Crossfeed.Serving.Features;
using DuckDB.NET.Data;

namespace Crossfeed.Serving.Tests;

/// <summary>crossfeed features end to end on a simulated world, its Redis load, and its bad input.</summary>
public sealed class FeaturesCommandTests(FeatureWorldFixture world, RedisServerFixture redis)
    : IClassFixture<FeatureWorldFixture>, IClassFixture<RedisServerFixture>
{
    private string Log => Path.Combine(world.World, "impressions.parquet");

    private object? Scalar(string sql)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql.Replace("LOG", $"read_parquet('{Log}', file_row_number = true)", StringComparison.Ordinal);
        return cmd.ExecuteScalar();
    }

    [Fact]
    public async Task Features_writes_one_row_per_id_holding_that_ids_latest_log_row()
    {
        var store = world.Temp("store");
        var (code, stdout, err) = FeatureWorldFixture.RunCli("features", "--data", world.Dataset, "--out", store);
        Assert.True(code == 0, err);
        Assert.Contains("users.parquet", stdout, StringComparison.Ordinal);
        var m = FeatureSnapshot.ReadManifest(store);
        Assert.Equal(Convert.ToInt64(Scalar("SELECT count(DISTINCT user_id) FROM LOG"), CultureInfo.InvariantCulture), m.Table(Core.FeatureGroup.User)!.Rows);
        Assert.Equal(Convert.ToInt64(Scalar("SELECT count(DISTINCT show_id) FROM LOG"), CultureInfo.InvariantCulture), m.Table(Core.FeatureGroup.Content)!.Rows);

        // The most active user's latest row, found by sorting its rows independently of the command's query.
        var user = Convert.ToString(Scalar("SELECT user_id FROM LOG GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1"), CultureInfo.InvariantCulture)!;
        var minutes = Convert.ToDouble(Scalar($"SELECT listening_minutes_30d FROM LOG WHERE user_id = {user} ORDER BY ts DESC, file_row_number DESC LIMIT 1"), CultureInfo.InvariantCulture);
        var country = Scalar($"SELECT country FROM LOG WHERE user_id = {user} ORDER BY ts DESC, file_row_number DESC LIMIT 1");
        using var memory = FeatureStores.Open(store);
        var values = await memory.GetAsync(EntityKind.User, user);
        Assert.NotNull(values);
        Assert.Equal(minutes, Convert.ToDouble(values["listening_minutes_30d"], CultureInfo.InvariantCulture));
        Assert.Equal(country, values["country"]);

        // A value that changes over the log (a show's age grows with time): the latest row's, not an earlier one's.
        var show = Convert.ToString(Scalar("SELECT show_id FROM LOG GROUP BY show_id ORDER BY count(*) DESC, show_id LIMIT 1"), CultureInfo.InvariantCulture)!;
        var latest = Convert.ToInt64(Scalar($"SELECT show_age_days FROM LOG WHERE show_id = {show} ORDER BY ts DESC, file_row_number DESC LIMIT 1"), CultureInfo.InvariantCulture);
        var earliest = Convert.ToInt64(Scalar($"SELECT show_age_days FROM LOG WHERE show_id = {show} ORDER BY ts, file_row_number LIMIT 1"), CultureInfo.InvariantCulture);
        Assert.True(latest != earliest, "the show's age must change over the log for this check to mean anything");
        var shown = await memory.GetAsync(EntityKind.Show, show);
        Assert.NotNull(shown);
        Assert.Equal(latest, Convert.ToInt64(shown["show_age_days"], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void As_of_keeps_only_ids_seen_at_or_before_the_cut()
    {
        var cut = Convert.ToInt64(Scalar("SELECT epoch_us(quantile_disc(ts, 0.1)) // 1000000 FROM LOG"), CultureInfo.InvariantCulture);
        var store = world.Temp("as-of");
        var (code, _, err) = FeatureWorldFixture.RunCli("features", "--data", world.Dataset, "--out", store, "--as-of", cut.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, err);
        var expected = Convert.ToInt64(Scalar($"SELECT count(DISTINCT user_id) FROM LOG WHERE epoch_us(ts) <= {cut}::BIGINT * 1000000"), CultureInfo.InvariantCulture);
        var all = Convert.ToInt64(Scalar("SELECT count(DISTINCT user_id) FROM LOG"), CultureInfo.InvariantCulture);
        Assert.True(expected < all, "the cut must leave some users out for this test to mean anything");
        Assert.Equal(expected, FeatureSnapshot.ReadManifest(store).Table(Core.FeatureGroup.User)!.Rows);
    }

    [Fact]
    public async Task To_redis_loads_the_snapshot_that_the_service_then_reads()
    {
        var store = world.Temp("redis-store");
        var address = redis.Address("cli");
        var (code, stdout, err) = FeatureWorldFixture.RunCli("features", "--data", world.Dataset, "--out", store, "--to-redis", address);
        Assert.True(code == 0, err);
        Assert.Contains("loaded", stdout, StringComparison.Ordinal);
        using var fromRedis = FeatureStores.Open(address);
        using var memory = FeatureStores.Open(store);
        var show = Convert.ToString(Scalar("SELECT max(show_id) FROM LOG"), CultureInfo.InvariantCulture)!;
        var expected = await memory.GetAsync(EntityKind.Show, show);
        Assert.NotNull(expected);
        FeatureTestLog.AssertSameValues(expected, await fromRedis.GetAsync(EntityKind.Show, show), "show " + show);

        var again = redis.Address("again");
        (code, _, err) = FeatureWorldFixture.RunCli("features", "--from-snapshot", store, "--to-redis", again);
        Assert.True(code == 0, err);
        using var reloaded = FeatureStores.Open(again);
        FeatureTestLog.AssertSameValues(expected, await reloaded.GetAsync(EntityKind.Show, show), "show " + show);
    }

    [Theory]
    [InlineData("missing-dataset", "no-such.yaml")]
    [InlineData("bad-as-of", "--as-of")]
    [InlineData("unreachable-redis", "cannot connect to Redis")]
    [InlineData("from-snapshot-without-redis", "--from-snapshot needs --to-redis")]
    public void Bad_input_exits_2_with_one_line(string what, string expected)
    {
        var store = world.Temp(what);
        string[] args = what switch
        {
            "missing-dataset" => ["features", "--data", Path.Combine(world.Root, "no-such.yaml"), "--out", store],
            "bad-as-of" => ["features", "--data", world.Dataset, "--out", store, "--as-of", "last tuesday"],
            "unreachable-redis" => ["features", "--data", world.Dataset, "--out", store, "--to-redis", $"redis://127.0.0.1:{RedisServerFixture.FreePort()}"],
            _ => ["features", "--from-snapshot", store],
        };
        var (code, _, err) = FeatureWorldFixture.RunCli(args);
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("crossfeed:", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(1, err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.StartsWith("features:", StringComparison.Ordinal)));
    }
}
