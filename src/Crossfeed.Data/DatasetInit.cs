using System.Globalization;
using System.Text;
using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// Proposes a dataset YAML for a file (<c>crossfeed init</c>): DuckDB's SUMMARIZE gives each column's type, count,
/// distinct values and nulls; one more pass gives exact distinct counts of small columns and the share of zeros and
/// skewness of numbers. Each column gets a role and kind with the reason (docs/data.md, "init").
/// </summary>
public static class DatasetInit
{
    /// <summary>More distinct text values than this: an id, whose rare values go to the OOV row.</summary>
    private const int CategoricalLimit = 1000;
    private const int IdMinCount = 5;
    private const string RowColumn = "__row";
    private const string SourceColumn = "__source";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static DatasetProposal Propose(DatasetInitRequest r)
    {
        var from = Path.GetFullPath(r.From);
        var test = r.Test is null ? null : Path.GetFullPath(r.Test);
        CheckFile(from);
        if (test is not null) CheckFile(test);
        var outPath = Path.GetFullPath(r.Out);
        var outDir = Path.GetDirectoryName(outPath)!;
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        var profiles = Profile(db, from);
        var byName = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);
        string Names() => string.Join(", ", profiles.Select(p => p.Name));
        if (test is not null)
        {
            var missing = profiles.Select(p => p.Name).Except(Profile(db, test).Select(p => p.Name)).FirstOrDefault();
            if (missing is not null) throw new BadInputException($"{test}: column '{missing}' of {Path.GetFileName(from)} is missing (--test must have the same columns)");
        }
        var decisions = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        // Labels.
        var labelExprs = new List<string>();
        var exclude = new List<string>();
        var labelYaml = new List<string>();
        if (r.Labels.Count == 0) throw new BadInputException("--labels: name at least one label column, e.g. --labels click or --labels income:class=>50K");
        foreach (var l in r.Labels)
        {
            if (!byName.ContainsKey(l.Column)) throw new BadInputException($"--labels: {from}: no column '{l.Column}' (the file has: {Names()})");
            used.Add(l.Column);
            if (l.Value is { } value)
            {
                var c = Sql.Ident(l.Column);
                labelExprs.Add($"CASE WHEN {c} IS NULL THEN NULL WHEN regexp_replace(trim(CAST({c} AS VARCHAR)), '\\.$', '') = {Sql.Literal(value)} THEN 1 ELSE 0 END AS {Sql.Ident(l.Name)}");
                exclude.Add(c);
                labelYaml.Add($"  - {{ name: {Q(l.Name)} }}   # 1 where {l.Column} is '{value}' (a trailing period ignored), 0 elsewhere, empty where null");
                decisions.Add($"label {l.Name}: 1 where {l.Column} = '{value}' (derived in input.query; {l.Column} is not a feature)");
                continue;
            }
            var values = DistinctValues(db, from, l.Column, 3);
            if (values.Count > 2 || !values.All(v => v is "0" or "1" or "true" or "false"))
                throw new BadInputException($"--labels: {from}: column '{l.Column}' holds {string.Join(", ", values.Take(2).Select(v => $"'{v}'"))}{(values.Count > 2 ? ", ..." : "")}, not 0/1: name the positive value, e.g. {l.Column}={values[^1]}");
            labelYaml.Add(l.Name == l.Column ? $"  - {{ name: {Q(l.Name)} }}" : $"  - {{ name: {Q(l.Name)}, column: {Q(l.Column)} }}");
            decisions.Add($"label {l.Name}: column {l.Column} (0/1)");
        }

        // Source.
        string sourceColumn;
        IReadOnlyList<string> sourceValues;
        if (r.Source is { } src)
        {
            if (!byName.ContainsKey(src)) throw new BadInputException($"--source: {from}: no column '{src}' (the file has: {Names()})");
            sourceValues = DistinctValues(db, from, src, 51);
            if (sourceValues.Count > 50) throw new BadInputException($"--source: {from}: column '{src}' has more than 50 values; a source is a channel such as promotion or ad");
            sourceColumn = src;
            used.Add(src);
            decisions.Add($"source: column {src} with values {string.Join(", ", sourceValues)}");
        }
        else
        {
            sourceColumn = SourceColumn;
            sourceValues = ["all"];
            decisions.Add($"source: none given, so every row is source 'all' ({SourceColumn} in input.query)");
        }

        // Split.
        var split = new StringBuilder();
        string? timeColumn = null;
        bool rowNumbers = false;
        long rows = profiles[0].Count;
        long testRows = 0;
        if (r.SplitColumn is not null && test is not null) throw new BadInputException("--split: give --split or --test, not both (--test already makes the test split)");
        if (r.SplitColumn is { } sc)
        {
            if (!byName.TryGetValue(sc, out var p)) throw new BadInputException($"--split: {from}: no column '{sc}' (the file has: {Names()})");
            if (!p.IsNumber && !p.IsTime) throw new BadInputException($"--split: {from}: column '{sc}' is {p.Type}; a split column holds numbers, dates or timestamps");
            timeColumn = sc;
            Fractions(split, sc);
            decisions.Add($"split: by {sc}, 80% / 10% / 10% of its sorted values (train / val / test)");
        }
        else if (test is not null)
        {
            rowNumbers = true;
            testRows = Count(db, test);
            long val = (long)Math.Round(rows * r.ValFraction);
            Ranges(split, rows - val, rows, rows + testRows);
            decisions.Add($"split: train = the first {rows - val:N0} rows of {Path.GetFileName(from)}, val = its last {val:N0}, test = the {testRows:N0} rows of {Path.GetFileName(test)}");
        }
        else if (profiles.FirstOrDefault(p => p.IsTime) is { } time)
        {
            timeColumn = time.Name;
            Fractions(split, time.Name);
            decisions.Add($"split: by the timestamp {time.Name}, 80% / 10% / 10% of its sorted values (temporal, never random)");
        }
        else
        {
            rowNumbers = true;
            long train = rows * 8 / 10, val = rows * 9 / 10;
            Ranges(split, train, val, rows);
            decisions.Add($"split: no timestamp, so by row order: first 80% train, next 10% val, last 10% test ({train:N0} / {val - train:N0} / {rows - val:N0} rows)");
        }
        if (timeColumn is not null) used.Add(timeColumn);

        // Features and keys.
        var features = new List<string>();
        var keys = new List<string>();
        foreach (var p in profiles)
        {
            if (used.Contains(p.Name)) continue;
            var (line, why) = Feature(db, from, p, r.Bins, keys);
            decisions.Add($"{p.Name}: {why}");
            if (line is null) continue;
            features.Add($"  # {p.Name}: {p.Type}, {p.Distinct:N0} distinct, {Pct(p.NullShare)} null{(p.IsNumber ? $", {Pct(p.ZeroShare)} zeros, skew {p.Skewness.ToString("0.00", Inv)}" : "")}: {why}");
            features.Add(line);
        }
        if (features.Count == 0) throw new BadInputException($"{from}: no column is left for features once labels, source and split are taken");

        var select = new StringBuilder("SELECT *");
        if (exclude.Count > 0) select.Append(" EXCLUDE (").Append(string.Join(", ", exclude)).Append(')');
        foreach (var e in labelExprs) select.Append(", ").Append(e);
        if (r.Source is null) select.Append($", 'all' AS {SourceColumn}");
        string Part(string file, long offset) =>
            select + (rowNumbers ? $", row_number() OVER () - 1{(offset > 0 ? $" + {offset}" : "")} AS {RowColumn}" : "") +
            $" FROM {Reader(Sql.Literal("{dir}/" + Path.GetRelativePath(outDir, file).Replace('\\', '/')), file)}";
        var query = Part(from, 0) + (test is null ? "" : "\nUNION ALL BY NAME\n" + Part(test, rows));

        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# Proposed by `crossfeed init` for {Path.GetFileName(from)}{(test is null ? "" : $" and {Path.GetFileName(test)}")}: review the roles below, then train.");
        yaml.AppendLine("# Each feature's comment says what the file holds and why it got its kind and encoding (docs/data.md).");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"name: {Q(Path.GetFileNameWithoutExtension(from))}");
        yaml.AppendLine("input:");
        yaml.AppendLine("  # {dir} is this file's folder; labels are derived here, the split uses row numbers where there is no timestamp");
        yaml.AppendLine("  query: |-");
        foreach (var line in query.Split('\n')) yaml.AppendLine("    " + line);
        yaml.AppendLine("source:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  column: {Q(sourceColumn)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  values: [{string.Join(", ", sourceValues.Select(Q))}]");
        if (timeColumn is not null) yaml.AppendLine(CultureInfo.InvariantCulture, $"time_column: {Q(timeColumn)}");
        yaml.Append(split);
        yaml.AppendLine(CultureInfo.InvariantCulture, $"keys: [{string.Join(", ", keys.Select(Q))}]");
        yaml.AppendLine("features:");
        foreach (var f in features) yaml.AppendLine(f);
        yaml.AppendLine("labels:");
        foreach (var l in labelYaml) yaml.AppendLine(l);
        var text = yaml.ToString();
        DatasetConfigLoader.Parse(text, outPath, outDir); // the proposal must be a valid config as written
        return new DatasetProposal(text, decisions);
    }

    private static (string? Line, string Why) Feature(DuckDBConnection db, string file, ColumnProfile p, int bins, List<string> keys)
    {
        var name = Q(p.Name);
        bool unique = p.Count > 100 && p.Distinct >= 0.99 * p.Count && !p.Type.StartsWith("DOUBLE", StringComparison.Ordinal) && p.Type != "FLOAT";
        if (p.IsTime) return (null, "a timestamp that is not the split column: left out");
        if (p.IsList)
        {
            var element = p.Type[..p.Type.LastIndexOf('[')];
            if (element is "FLOAT" or "DOUBLE")
            {
                int dim = MaxLength(db, file, p.Name);
                return ($"  - {{ name: {name}, group: context, kind: vector, dim: {dim} }}", $"a list of numbers: vector of {dim}");
            }
            return ($"  - {{ name: {name}, group: context, kind: categorical_list, embedding_dim: 8, pooling: mean }}", "a list of values: categorical_list, mean-pooled");
        }
        if (unique && (p.IsInteger || !p.IsNumber))
        {
            keys.Add(p.Name);
            return (null, "a distinct value per row: a key carried to scored files, not a feature");
        }
        if (p.Distinct <= 2)
            return ($"  - {{ name: {name}, group: context, kind: categorical, embedding_dim: 2 }}   # two values: could be a label (--labels {p.Name})",
                    "two values: categorical (could also be a label)");
        if (p.IsNumber)
        {
            if (p.Distinct <= bins)
                return ($"  - {{ name: {name}, group: context, kind: numeric, encoding: quantile_bins, bins: {bins}, embedding_dim: 8 }}",
                        $"{p.Distinct} distinct numbers: quantile_bins (about one bucket per value)");
            if (p.ZeroShare >= 0.3 || Math.Abs(p.Skewness) >= 1)
                return ($"  - {{ name: {name}, group: context, kind: numeric, encoding: piecewise_linear, bins: {bins}, embedding_dim: 8 }}",
                        $"{(p.ZeroShare >= 0.3 ? "many zeros" : Math.Abs(p.Skewness) >= 2 ? "heavy-tailed" : "skewed")}: piecewise_linear over {bins} quantile buckets");
            return ($"  - {{ name: {name}, group: context, kind: numeric, encoding: standardize }}", "near-symmetric numbers: standardize");
        }
        int emb = p.Distinct <= 16 ? 4 : p.Distinct <= 200 ? 8 : 16;
        if (p.Distinct <= CategoricalLimit)
            return ($"  - {{ name: {name}, group: context, kind: categorical, embedding_dim: {emb} }}", $"{p.Distinct} values: categorical");
        return ($"  - {{ name: {name}, group: context, kind: categorical, embedding_dim: {emb}, min_count: {IdMinCount} }}",
                $"{p.Distinct:N0} values (an id): categorical, values seen fewer than {IdMinCount} times in train share the OOV row");
    }

    private static void Fractions(StringBuilder split, string column)
    {
        split.AppendLine("split:");
        split.AppendLine(CultureInfo.InvariantCulture, $"  column: {Q(column)}");
        split.AppendLine("  fractions: { train: 0.8, val: 0.1, test: 0.1 }");
    }

    private static void Ranges(StringBuilder split, long train, long val, long end)
    {
        split.AppendLine("split:                   # row numbers, in file order");
        split.AppendLine(CultureInfo.InvariantCulture, $"  column: {RowColumn}");
        split.AppendLine(CultureInfo.InvariantCulture, $"  train: {{ from: 0, to: {train} }}");
        split.AppendLine(CultureInfo.InvariantCulture, $"  val: {{ from: {train}, to: {val} }}");
        split.AppendLine(CultureInfo.InvariantCulture, $"  test: {{ from: {val}, to: {end} }}");
    }

    private static void CheckFile(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
    }

    private static string Reader(string literal, string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".parquet" or ".parq" => $"read_parquet({literal})",
        ".tsv" or ".tab" => $"read_csv({literal}, delim = '\\t', header = true)",
        _ => $"read_csv({literal}, header = true)",
    };

    private static List<ColumnProfile> Profile(DuckDBConnection db, string file)
    {
        var from = Reader(Sql.Literal(file), file);
        return Query(file, () =>
        {
            var raw = new List<(string Name, string Type, long Approx, long Count, double Nulls)>();
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText = $"SUMMARIZE SELECT * FROM {from}";
                using var rd = cmd.ExecuteReader();
                int name = rd.GetOrdinal("column_name"), type = rd.GetOrdinal("column_type"), approx = rd.GetOrdinal("approx_unique"),
                    count = rd.GetOrdinal("count"), nulls = rd.GetOrdinal("null_percentage");
                while (rd.Read())
                    raw.Add((rd.GetString(name), rd.GetString(type), Convert.ToInt64(rd.GetValue(approx), Inv), Convert.ToInt64(rd.GetValue(count), Inv),
                             rd.IsDBNull(nulls) ? 0 : Convert.ToDouble(rd.GetValue(nulls), Inv) / 100));
            }
            if (raw.Count == 0 || raw[0].Count == 0) throw new BadInputException($"{file}: the file has no rows");
            // Exact distinct counts where the kind depends on them (approx_unique is a sketch); zeros and skewness of numbers.
            var probe = raw.Select(c => new ColumnProfile(c.Name, c.Type, c.Approx, c.Count, c.Nulls, 0, 0)).ToList();
            var exprs = new List<string>();
            foreach (var c in probe)
            {
                var id = Sql.Ident(c.Name);
                exprs.Add(c.Distinct <= 64 && !c.IsList ? $"count(DISTINCT {id})::BIGINT" : $"{c.Distinct}::BIGINT");
                exprs.Add(c.IsNumber ? $"coalesce(avg(({id} = 0)::INT), 0)::DOUBLE" : "0::DOUBLE");
                exprs.Add(c.IsNumber ? $"coalesce(skewness({id}::DOUBLE), 0)::DOUBLE" : "0::DOUBLE");
            }
            using var stats = db.CreateCommand();
            stats.CommandText = $"SELECT {string.Join(", ", exprs)} FROM {from}";
            using var s = stats.ExecuteReader();
            s.Read();
            return probe.Select((c, i) => c with
            {
                Distinct = Convert.ToInt64(s.GetValue(3 * i), Inv),
                ZeroShare = Finite(Convert.ToDouble(s.GetValue(3 * i + 1), Inv)),
                Skewness = Finite(Convert.ToDouble(s.GetValue(3 * i + 2), Inv)),
            }).ToList();
        });
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static List<string> DistinctValues(DuckDBConnection db, string file, string column, int limit) => Query(file, () =>
    {
        using var cmd = db.CreateCommand();
        var c = Sql.Ident(column);
        cmd.CommandText = $"SELECT DISTINCT lower(CAST({c} AS VARCHAR)) AS v FROM {Reader(Sql.Literal(file), file)} WHERE {c} IS NOT NULL ORDER BY v LIMIT {limit}";
        using var rd = cmd.ExecuteReader();
        var values = new List<string>();
        while (rd.Read()) values.Add(rd.GetString(0));
        return values;
    });

    private static long Count(DuckDBConnection db, string file) => Query(file, () =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {Reader(Sql.Literal(file), file)}";
        return Convert.ToInt64(cmd.ExecuteScalar(), Inv);
    });

    private static int MaxLength(DuckDBConnection db, string file, string column) => Query(file, () =>
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT coalesce(max(len({Sql.Ident(column)})), 1) FROM {Reader(Sql.Literal(file), file)}";
        return Math.Max(1, Convert.ToInt32(cmd.ExecuteScalar(), Inv));
    });

    private static T Query<T>(string file, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (DuckDBException e)
        {
            throw new BadInputException($"{file}: cannot read the file: {Sql.Reason(e)}");
        }
    }

    private static string Pct(double share) => (100 * share).ToString("0.#", Inv) + "%";

    /// <summary>A double-quoted YAML scalar.</summary>
    private static string Q(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
