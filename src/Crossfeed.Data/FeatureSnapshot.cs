using System.Globalization;
using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// The latest user, show and creative features of a log, for serving features by id. A snapshot is a
/// folder with users.parquet, shows.parquet and creatives.parquet (the key column, then the group's
/// feature columns as the log holds them; one row per id, sorted by id) and snapshot.json
/// (<see cref="SnapshotManifest"/>). DuckDB picks the latest row of each id and writes the Parquet files
/// itself, so memory stays bounded on logs larger than memory.
/// </summary>
public static class FeatureSnapshot
{
    /// <summary>
    /// Writes the snapshot of <paramref name="cfg"/>'s log to <paramref name="outDir"/> (atomically: the folder
    /// appears complete or not at all). Per entity the latest row by the time column (time_column, else the
    /// split column) wins; ties go to the later file, then (Parquet) the later row. A kind whose key column the
    /// input lacks is skipped and reported through <paramref name="note"/>.
    /// </summary>
    public static SnapshotManifest Write(DatasetConfig cfg, string outDir, SnapshotOptions options, Action<string>? note = null, CancellationToken ct = default)
    {
        var (timeColumn, timeWhat) = cfg.TimeColumn is { } tc ? (tc, "time_column")
            : cfg.Split.Column is { } sc ? (sc, "split.column")
            : throw BadInputException.At(cfg.ConfigPath, null, null, "the dataset has neither time_column nor split.column, so the latest row of an id is unknown; set time_column");
        var parts = InputReader.Resolve(cfg);
        var keys = new[] { (FeatureGroup.User, options.UserKey, "--user-key"), (FeatureGroup.Content, options.ShowKey, "--show-key"), (FeatureGroup.Creative, options.CreativeKey, "--creative-key") };

        // First pass: which key columns the input has (every part); the second checks the features of those kinds.
        var timeRole = new ColumnRole(timeColumn, RoleKind.Time, timeWhat);
        List<(FeatureGroup Group, string Key)> present;
        using (var probe = DatasetScan.Open(cfg, parts, [timeRole, .. keys.Select(k => new ColumnRole(k.Item2, RoleKind.Key, k.Item3, Optional: true))], null, ct))
        {
            present = [];
            foreach (var (group, key, option) in keys)
            {
                if (probe.Present.Contains(key)) present.Add((group, key));
                else note?.Invoke($"no {SnapshotTable.EntityOf(group)}s: the input has no column '{key}' (set {option})");
            }
        }
        var plans = present.Select(p => (p.Group, p.Key, Columns: (IReadOnlyList<string>)[p.Key, .. cfg.Features
            .Where(f => f.Group == p.Group && f.Column != p.Key).Select(f => f.Column).Distinct()])).ToList();
        var featureRoles = Roles.Of(cfg, forScoring: true).Where(r => r.Kind != RoleKind.Key && plans.Any(p => p.Columns.Contains(r.Column)));
        var keyRoles = keys.Where(k => present.Any(p => p.Group == k.Item1)).Select(k => new ColumnRole(k.Item2, RoleKind.Key, k.Item3));
        using var scan = DatasetScan.Open(cfg, parts, [timeRole, .. keyRoles, .. featureRoles], null, ct);

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        var tables = new List<SnapshotTable>();
        var created = DateTime.UtcNow;
        AtomicFile.WriteDirectory(outDir, tmp =>
        {
            foreach (var (group, key, columns) in plans)
            {
                ct.ThrowIfCancellationRequested();
                var table = new SnapshotTable(group, key, columns, 0);
                long rows = Copy(db, scan, parts, table, timeColumn, options.AsOf, Path.Combine(tmp, table.File));
                tables.Add(table with { Rows = rows });
            }
            var manifest = new SnapshotManifest(cfg.Name, cfg.ConfigPath, timeColumn, options.AsOf, created, tables);
            AtomicFile.WriteAllText(Path.Combine(tmp, SnapshotManifest.FileName), manifest.ToJson());
        });
        return new SnapshotManifest(cfg.Name, cfg.ConfigPath, timeColumn, options.AsOf, created, tables);
    }

    private static long Copy(DuckDBConnection db, DatasetScan scan, List<InputReader> parts, SnapshotTable table, string timeColumn, double? asOf, string file)
    {
        var needed = table.Columns.Contains(timeColumn) ? table.Columns : [.. table.Columns, timeColumn];
        var list = string.Join(", ", needed.Select(Sql.Ident));
        // __part and __pos break ties in time: the later file wins, then (Parquet, which numbers its rows) the later row.
        var union = string.Join(" UNION ALL ", parts.Select((p, i) => p.ParquetFile is { } pf
            ? $"SELECT {list}, {i} AS __part, file_row_number AS __pos FROM read_parquet({Sql.Literal(pf)}, file_row_number = true)"
            : $"SELECT {list}, {i} AS __part, 0 AS __pos FROM {p.Relation}"));
        var time = Sql.Ident(timeColumn);
        var keyCol = Sql.Ident(table.KeyColumn);
        try
        {
            var where = $"{keyCol} IS NOT NULL";
            if (asOf is { } cut) where += $" AND {AsOfCondition(db, union, timeColumn, cut)}";
            using var cmd = db.CreateCommand();
            cmd.CommandText =
                $"COPY (SELECT {string.Join(", ", table.Columns.Select(Sql.Ident))} FROM ({union}) WHERE {where} " +
                $"QUALIFY row_number() OVER (PARTITION BY {keyCol} ORDER BY {time} DESC NULLS LAST, __part DESC, __pos DESC) = 1 " +
                $"ORDER BY {keyCol}) TO {Sql.Literal(file)} (FORMAT parquet)";
            cmd.ExecuteNonQuery();
            // Counted from the file's metadata: DuckDB.NET does not hand back COPY's row count.
            cmd.CommandText = $"SELECT count(*) FROM read_parquet({Sql.Literal(file)})";
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (DuckDBException e)
        {
            throw BadInputException.At(scan.InputName, null, null, $"cannot write the {table.Entity} snapshot: {Sql.Reason(e)}");
        }
    }

    /// <summary>DATE and TIMESTAMP columns compare in Unix seconds (as splits do); numeric ones by their own value.</summary>
    private static string AsOfCondition(DuckDBConnection db, string union, string timeColumn, double cut)
    {
        var time = Sql.Ident(timeColumn);
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {time} FROM ({union}) LIMIT 0";
        using var r = cmd.ExecuteReader();
        var cell = Cell.Bind(r, 0);
        var value = cut.ToString("R", CultureInfo.InvariantCulture);
        return cell.IsTemporal ? $"epoch_us({time}) <= {value}::DOUBLE * 1000000" : $"{time} <= {value}";
    }

    /// <summary>
    /// Parses an as-of time: a number (Unix seconds, or a value of a numeric time column such as a day), or an
    /// ISO-8601 date or date-time (UTC unless it carries an offset), as Unix seconds.
    /// </summary>
    public static bool TryParseTime(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)) return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            && text.Length >= 10 && text[4] == '-' && text[7] == '-')
        {
            value = (t.UtcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Reads snapshot.json of a snapshot folder.</summary>
    public static SnapshotManifest ReadManifest(string dir)
    {
        var path = Path.Combine(dir, SnapshotManifest.FileName);
        if (!File.Exists(path))
            throw BadInputException.At(dir, null, null, $"not a feature snapshot folder (no {SnapshotManifest.FileName}; write one with crossfeed features)");
        return SnapshotManifest.FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Streams one table of a snapshot: each id and its values in <see cref="SnapshotTable.Columns"/> order (see <see cref="LogValues"/> for the types).</summary>
    public static IEnumerable<(string Id, object?[] Values)> ReadRows(string dir, SnapshotTable table)
    {
        var file = Path.Combine(dir, table.File);
        if (!File.Exists(file)) throw BadInputException.At(file, null, null, "file not found (the snapshot is incomplete)");
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.UseStreamingMode = true;
        cmd.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(Sql.Ident))} FROM read_parquet({Sql.Literal(file)})";
        DuckDBDataReader r;
        try
        {
            r = cmd.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            throw BadInputException.At(file, null, null, $"cannot read the file: {Sql.Reason(e)}");
        }
        using (r)
        {
            var cells = Enumerable.Range(0, r.FieldCount).Select(i => Cell.Bind(r, i)).ToArray();
            while (r.Read())
            {
                var values = new object?[cells.Length];
                for (int i = 0; i < cells.Length; i++) values[i] = LogValues.Read(r, cells[i]);
                yield return (LogValues.KeyText(r, cells[0]), values);
            }
        }
    }
}
