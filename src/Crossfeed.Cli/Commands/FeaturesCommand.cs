using System.CommandLine;
using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Serving.Features;

namespace Crossfeed.Cli.Commands;

/// <summary>features: write the latest user, show and creative features of a log as a snapshot, and optionally load it into Redis.</summary>
public static class FeaturesCommand
{
    public static Command Create(CliContext ctx)
    {
        var data = new Option<FileInfo?>("--data") { Description = "Dataset YAML whose log holds the features." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Snapshot folder to write (users.parquet, shows.parquet, creatives.parquet, snapshot.json)." };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Keep only rows at or before this time: Unix seconds, a value of a numeric time column (e.g. a day), or ISO-8601 (2024-03-01T12:00:00Z).",
        };
        var userKey = new Option<string>("--user-key") { Description = "Column that identifies users.", DefaultValueFactory = _ => "user_id" };
        var showKey = new Option<string>("--show-key") { Description = "Column that identifies shows.", DefaultValueFactory = _ => "show_id" };
        var creativeKey = new Option<string>("--creative-key") { Description = "Column that identifies creatives.", DefaultValueFactory = _ => "creative_id" };
        var toRedis = new Option<string?>("--to-redis") { Description = "Then load the snapshot into Redis: redis://HOST:PORT[/prefix] (prefix default: crossfeed)." };
        var fromSnapshot = new Option<DirectoryInfo?>("--from-snapshot") { Description = "Load an existing snapshot folder into --to-redis instead of writing one." };
        var cmd = new Command("features", "Write the latest user, show and creative features of a log as a snapshot for serving features by id.")
            { data, output, asOf, userKey, showKey, creativeKey, toRedis, fromSnapshot };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var redis = pr.GetValue(toRedis);
            if (pr.GetValue(fromSnapshot) is { } existing)
            {
                if (pr.GetValue(data) is not null || pr.GetValue(output) is not null)
                    throw new BadInputException("--from-snapshot loads an existing snapshot: give it with --to-redis only, without --data or --out");
                if (redis is null) throw new BadInputException("--from-snapshot needs --to-redis redis://HOST:PORT[/prefix]");
                LoadRedis(ctx, existing.FullName, redis);
                return;
            }
            var dataFile = pr.GetValue(data) ?? throw new BadInputException("--data DATASET.yaml is required (or --from-snapshot STORE --to-redis URL)");
            var outDir = pr.GetValue(output) ?? throw new BadInputException("--out STORE is required");
            double? cut = null;
            if (pr.GetValue(asOf) is { } text)
            {
                if (!FeatureSnapshot.TryParseTime(text, out var t))
                    throw new BadInputException($"--as-of '{text}': expected Unix seconds, a number of the time column, or an ISO-8601 date or time such as 2024-03-01T12:00:00Z");
                cut = t;
            }
            if (redis is not null) RedisSpec.Parse(redis); // a bad address fails before the snapshot is written
            var options = new SnapshotOptions(cut, pr.GetValue(userKey)!, pr.GetValue(showKey)!, pr.GetValue(creativeKey)!);
            Run(ctx, dataFile.FullName, outDir.FullName, options);
            if (redis is not null) LoadRedis(ctx, outDir.FullName, redis);
        }));
        return cmd;
    }

    public static SnapshotManifest Run(CliContext ctx, string dataPath, string outDir, SnapshotOptions options)
    {
        var cfg = DatasetConfigLoader.Load(dataPath);
        var manifest = ctx.WithStatus("features", _ => FeatureSnapshot.Write(cfg, outDir, options, ctx.Out.WriteLine, ctx.Cancellation));
        var inv = CultureInfo.InvariantCulture;
        var cut = options.AsOf is { } a ? $" at or before {a.ToString("R", inv)} ({manifest.TimeColumn})" : "";
        ctx.Out.WriteLine($"feature snapshot of {manifest.Dataset}{cut} -> {outDir}");
        foreach (var t in manifest.Tables)
            ctx.Out.WriteLine($"  {t.File}: {t.Rows.ToString("N0", inv)} {t.Entity}s by {t.KeyColumn}; columns: {string.Join(", ", t.Columns)}");
        return manifest;
    }

    private static void LoadRedis(CliContext ctx, string snapshotDir, string redis)
    {
        var loaded = ctx.WithStatus("load into redis", _ => RedisFeatureLoader.LoadAsync(snapshotDir, redis, ct: ctx.Cancellation).GetAwaiter().GetResult());
        var inv = CultureInfo.InvariantCulture;
        ctx.Out.WriteLine($"loaded {snapshotDir} into {RedisSpec.Parse(redis)}: " +
                          string.Join(", ", loaded.Select(kv => $"{kv.Value.ToString("N0", inv)} {kv.Key.ToString().ToLowerInvariant()}s")));
    }
}
