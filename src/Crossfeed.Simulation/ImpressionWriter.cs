using System.Globalization;
using Crossfeed.Core;
using ParquetSharp;

namespace Crossfeed.Simulation;

/// <summary>
/// Writes impressions.parquet (the columns of docs/simulator.md, "impressions.parquet columns"; content_type only in
/// the camoe scenario), or the same rows as a folder of shards of whole days, a block of the log at a time: the columns
/// read the blocks' arrays.
/// </summary>
internal static class ImpressionWriter
{
    public const string FileName = "impressions.parquet";
    public const string ShardFolder = "impressions";
    public const int RowGroupRows = 250_000;

    /// <summary>Writes the log, block by block as <paramref name="blocks"/> fills them, as one file.</summary>
    public static void Write(string path, World world, LogBlocks blocks, CancellationToken ct)
    {
        var t = Describe(world, blocks);
        AtomicFile.Write(path, tmp =>
        {
            using var file = t.Open(tmp);
            while (blocks.Next()) file.Append(0, blocks.Block.Count, RowGroupRows, ct);
            file.Close();
        });
    }

    /// <summary>Shard k's file name: zero-padded, so the ordinal name order a folder input reads in is the time order.</summary>
    public static string ShardFileName(int k) => "part-" + k.ToString("D5", CultureInfo.InvariantCulture) + ".parquet";

    /// <summary>
    /// Writes the log as files of whole days into the folder <paramref name="dir"/>, shard k holding days
    /// [<paramref name="shardDays"/>[k], shardDays[k + 1]) (<see cref="ShardDays"/>), and returns their names. The
    /// folder is filled under a temporary name and renamed into place once every shard is closed, so a killed run never
    /// leaves a partial shard set under the final name. Blocks never straddle a shard.
    /// </summary>
    public static IReadOnlyList<string> WriteShards(string dir, World world, LogBlocks blocks, IReadOnlyList<int> shardDays, CancellationToken ct)
    {
        var t = Describe(world, blocks);
        int shards = shardDays.Count - 1;
        var names = Enumerable.Range(0, shards).Select(ShardFileName).ToList();
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            bool more = blocks.Next();
            for (int k = 0; k < shards; k++)
            {
                using var file = t.Open(Path.Combine(tmp, names[k]));
                for (; more && blocks.Block.FirstDay < shardDays[k + 1]; more = blocks.Next()) file.Append(0, blocks.Block.Count, RowGroupRows, ct);
                file.Close();
            }
            if (more) throw new InvalidOperationException("rows are left after the last shard");
        });
        return names;
    }

    /// <summary>
    /// The first day of each of <paramref name="shards"/> contiguous day ranges, then the number of days: shard k holds
    /// days [result[k], result[k + 1]). A shard holds whole days (so a day never straddles two files and the split by
    /// day stays a choice of files), and boundary k is the day whose first row lies nearest k / shards of the rows,
    /// leaving every shard at least one day: each shard is within about a day's rows of an equal share.
    /// </summary>
    internal static int[] ShardDays(IReadOnlyList<long> dayStart, int shards)
    {
        int days = dayStart.Count - 1;
        if (shards < 1 || shards > days) throw new ArgumentOutOfRangeException(nameof(shards), shards, $"must lie in [1, {days}]");
        long rows = dayStart[days];
        var first = new int[shards + 1];
        first[shards] = days;
        for (int k = 1; k < shards; k++)
        {
            long target = rows * k / shards;
            int best = first[k - 1] + 1;
            for (int d = best + 1; d <= days - (shards - k); d++)
                if (Math.Abs(dayStart[d] - target) < Math.Abs(dayStart[best] - target)) best = d;
            first[k] = best;
        }
        return first;
    }

    private static ParquetTableWriter Describe(World world, LogBlocks blocks)
    {
        var c = world.Config;
        var co = world.Coefficients;
        var slots = co.Slots;
        var users = world.UsersTable;
        var shows = world.ShowsTable;
        var ads = world.Ads;
        int days = c.Days;
        var sources = Catalog.SourceNames;
        var modalities = Catalog.ModalityNames;
        var dayOfWeek = Enumerable.Range(0, days).Select(d => Simulator.DayOfWeek(c, d)).ToArray();

        var t = new ParquetTableWriter();
        t.Add("impression_id", i => blocks.Block.First + i, dictionary: false);
        t.Add("ts", i => DateTime.UnixEpoch.AddTicks(blocks.Block.TsMicros[i] * 10), LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Micros), dictionary: false);
        t.Add("day", i => (int)blocks.Block.Day[i]);
        // Slot attributes as codes into small vocabularies, one lookup per row.
        var surfaces = slots.Select(x => x.Surface).Distinct().ToArray();
        var layouts = slots.Select(x => x.Layout).Distinct().ToArray();
        var contentTypes = slots.Select(x => x.ContentType).Distinct().ToArray();
        var slotNames = slots.Select(x => x.Name).ToArray();
        var slotSource = slots.Select(x => (int)x.Source).ToArray();
        var slotSurface = slots.Select(x => Array.IndexOf(surfaces, x.Surface)).ToArray();
        var slotModality = slots.Select(x => (int)x.Modality).ToArray();
        var slotLayout = slots.Select(x => Array.IndexOf(layouts, x.Layout)).ToArray();
        var slotContent = slots.Select(x => Array.IndexOf(contentTypes, x.ContentType)).ToArray();
        t.AddStrings("source", i => slotSource[blocks.Block.Slot[i]], sources);
        t.AddStrings("surface", i => slotSurface[blocks.Block.Slot[i]], surfaces);
        t.AddStrings("slot", i => blocks.Block.Slot[i], slotNames);
        t.AddStrings("modality", i => slotModality[blocks.Block.Slot[i]], modalities);
        t.AddStrings("layout", i => slotLayout[blocks.Block.Slot[i]], layouts);
        if (c.Scenario == Scenario.Camoe) t.AddStrings("content_type", i => slotContent[blocks.Block.Slot[i]], contentTypes);

        t.Add("user_id", i => blocks.Block.User[i]);
        t.AddStrings("country", i => users.Country[blocks.Block.User[i]], co.Countries);
        t.AddStrings("age_bucket", i => users.Age[blocks.Block.User[i]], co.AgeBuckets);
        t.AddStrings("device", i => users.Device[blocks.Block.User[i]], co.Devices);
        t.AddLists("history_shows", i => users.History[blocks.Block.User[i]]);
        t.Add("followed_count", i => users.Followed[blocks.Block.User[i]]);
        t.Add("listening_minutes_30d", i => users.Minutes[blocks.Block.User[i]]);

        t.Add("show_id", i => blocks.Block.Show[i]);
        t.Add("episode_id", i => blocks.Block.Episode[i]);
        t.AddStrings("genre", i => shows.Genre[blocks.Block.Show[i]], co.Genres);
        t.AddStringLists("topics", i => shows.Topics[blocks.Block.Show[i]], co.Topics);
        t.AddLists("show_embedding", i => shows.Embedding[blocks.Block.Show[i]]);
        t.Add("show_age_days", i => blocks.Block.Day[i] - shows.LaunchDay[blocks.Block.Show[i]]);

        t.Add("hour", i => (int)blocks.Block.Hour[i]);
        t.Add("day_of_week", i => dayOfWeek[blocks.Block.Day[i]]);
        t.AddStrings("session_state", i => blocks.Block.Session[i], co.SessionStates);
        t.Add("listening_show_id", i => blocks.Block.Listening[i] < 0 ? (int?)null : blocks.Block.Listening[i]);

        t.Add("campaign_id", i => blocks.Block.Creative[i] < 0 ? (int?)null : ads.CreativeCampaign[blocks.Block.Creative[i]]);
        t.Add("creative_id", i => blocks.Block.Creative[i] < 0 ? (int?)null : blocks.Block.Creative[i]);
        var formats = ads.CreativeFormat.Distinct().Order(StringComparer.Ordinal).ToArray();
        var formatCode = ads.CreativeFormat.Select(f => Array.IndexOf(formats, f)).ToArray();
        t.AddStrings("ad_format", i => blocks.Block.Creative[i] < 0 ? -1 : formatCode[blocks.Block.Creative[i]], formats);
        t.Add("bid_cpm", i => blocks.Block.Creative[i] < 0 ? (float?)null : ads.CreativeBidCpm[blocks.Block.Creative[i]]);
        t.Add("campaign_exposures", i => blocks.Block.Creative[i] < 0 ? (int?)null : blocks.Block.Exposures[i]);

        for (int k = 0; k < 4; k++)
        {
            int outcome = k;
            t.Add(Catalog.OutcomeNames[k], i => blocks.Block.Label[outcome][i] is var y && y < 0 ? (int?)null : y);
        }

        t.Add("show_tier", i => (int)shows.Tier[blocks.Block.Show[i] * days + blocks.Block.Day[i]]);
        t.Add("show_streams_30d", i => shows.Streams30[blocks.Block.Show[i] * days + blocks.Block.Day[i]]);
        t.Add("cost", i => blocks.Block.Cost[i], dictionary: false);
        for (int k = 0; k < 4; k++)
        {
            int outcome = k;
            t.Add("p_" + Catalog.OutcomeNames[k], i => blocks.Block.Label[outcome][i] < 0 ? (double?)null : blocks.Block.P[outcome][i], dictionary: false);
        }
        return t;
    }
}
