using System.Globalization;
using System.Text.RegularExpressions;
using Crossfeed.Core;
using DuckDB.NET.Data;
using ParquetSharp;

namespace Crossfeed.Data;

internal enum RoleKind { Source, Split, Time, Key, Categorical, CategoricalList, Numeric, Vector, Label, Truth, AnalysisNumber, AnalysisText }

/// <summary>A column the config names, what for (for messages: "features[2]", "labels.click"), and whether it may be absent (scoring files have no labels).</summary>
internal sealed record ColumnRole(string Column, RoleKind Kind, string What, bool Optional = false);

internal static class Roles
{
    /// <summary>Every column a dataset config names. Scoring (forScoring) needs no split/time column and treats labels, truth and analysis as optional.</summary>
    public static List<ColumnRole> Of(DatasetConfig cfg, bool forScoring)
    {
        var roles = new List<ColumnRole> { new(cfg.Source.Column, RoleKind.Source, "source.column") };
        if (!forScoring)
        {
            if (cfg.Split.Column is { } sc) roles.Add(new(sc, RoleKind.Split, "split.column"));
            if (cfg.TimeColumn is { } tc) roles.Add(new(tc, RoleKind.Time, "time_column"));
        }
        foreach (var k in cfg.Keys) roles.Add(new(k, RoleKind.Key, "keys"));
        foreach (var f in cfg.Features)
        {
            var kind = f.Kind switch
            {
                FeatureKind.Categorical => RoleKind.Categorical,
                FeatureKind.CategoricalList => RoleKind.CategoricalList,
                FeatureKind.Numeric => RoleKind.Numeric,
                _ => RoleKind.Vector,
            };
            roles.Add(new(f.Column, kind, $"feature '{f.Name}'"));
        }
        foreach (var l in cfg.Labels)
        {
            roles.Add(new(l.Column, RoleKind.Label, $"label '{l.Name}'", forScoring));
            if (l.Truth is { } t) roles.Add(new(t, RoleKind.Truth, $"truth of label '{l.Name}'", forScoring));
        }
        var a = cfg.Analysis;
        foreach (var (what, col) in a.NumberRoles())
            roles.Add(new(col, RoleKind.AnalysisNumber, $"analysis.{what}", forScoring));
        foreach (var (what, col) in a.TextRoles())
            roles.Add(new(col, RoleKind.AnalysisText, $"analysis.{what}", forScoring));
        return roles;
    }

    /// <summary>Null when the column's type suits the role, else what is wrong.</summary>
    public static string? TypeProblem(Cell c, RoleKind kind)
    {
        bool number = c.IsNumber && c.Kind != CellKind.Boolean;
        return kind switch
        {
            RoleKind.Source when c.Kind is not (CellKind.Integer or CellKind.UInt64 or CellKind.HugeInteger or CellKind.Text or CellKind.Boolean)
                => $"a source column needs text or integers, the column holds {c.Describe()}",
            RoleKind.Split or RoleKind.Time when !(number || c.IsTemporal)
                => $"a {(kind == RoleKind.Split ? "split" : "time")} column needs numbers or timestamps, the column holds {c.Describe()}",
            RoleKind.Key or RoleKind.AnalysisText when c.Kind is CellKind.List or CellKind.Other
                => $"expected single values, the column holds {c.Describe()}",
            RoleKind.Categorical when c.Kind == CellKind.List
                => $"a categorical feature needs one value per row, the column holds {c.Describe()} (use kind: categorical_list)",
            RoleKind.Categorical when c.Kind == CellKind.Other
                => $"a categorical feature needs integers or text, the column holds {c.Describe()}",
            RoleKind.CategoricalList when !(c.Kind == CellKind.Text || (c.Kind == CellKind.List && c.Element is CellKind.Integer or CellKind.Text or CellKind.Floating))
                => $"a categorical_list feature needs a list of integers or text (or text like [a, b]), the column holds {c.Describe()}",
            RoleKind.Numeric or RoleKind.Label or RoleKind.Truth or RoleKind.AnalysisNumber when !(c.IsNumber || c.Kind == CellKind.Text)
                => $"expected numbers, the column holds {c.Describe()}",
            RoleKind.Vector when !(c.Kind == CellKind.Text || (c.Kind == CellKind.List && c.Element is CellKind.Floating or CellKind.Integer or CellKind.Decimal))
                => $"a vector feature needs a list of numbers, the column holds {c.Describe()}",
            _ => null,
        };
    }
}

/// <summary>
/// The dataset's parts with their checked schemas, on one in-memory DuckDB connection. Every column
/// the config names is checked in every part before any row is read.
/// </summary>
internal sealed class DatasetScan : IDisposable
{
    private readonly DuckDBConnection _db;
    private readonly Dictionary<InputPart, Dictionary<string, Cell>> _schemas = [];

    private DatasetScan(DatasetConfig cfg, List<InputPart> parts)
    {
        Config = cfg;
        Parts = parts;
        _db = new DuckDBConnection("DataSource=:memory:");
        _db.Open();
    }

    public DatasetConfig Config { get; }
    public IReadOnlyList<InputPart> Parts { get; }

    /// <summary>Optional columns (labels, truth, analysis when scoring) that every part has.</summary>
    public HashSet<string> Present { get; } = new(StringComparer.Ordinal);

    /// <summary>What to call the whole input in messages that are not about one file.</summary>
    public string InputName => Config.Input.Query is not null ? Parts[0].Display
        : Config.Input.Path ?? Config.ConfigPath;

    public static DatasetScan Open(DatasetConfig cfg, List<InputPart> parts, IReadOnlyList<ColumnRole> roles, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        var scan = new DatasetScan(cfg, parts);
        try
        {
            foreach (var part in parts)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new LoadProgress(LoadPhase.Schema, part.Display, 0));
                scan.CheckSchema(part, roles);
            }
            foreach (var r in roles.Where(r => r.Optional))
                if (scan._schemas.Values.All(s => s.ContainsKey(r.Column))) scan.Present.Add(r.Column);
            return scan;
        }
        catch
        {
            scan.Dispose();
            throw;
        }
    }

    private void CheckSchema(InputPart part, IReadOnlyList<ColumnRole> roles)
    {
        var cells = new Dictionary<string, Cell>(StringComparer.Ordinal);
        var names = new List<string>();
        using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = $"SELECT * FROM {part.Relation} LIMIT 0";
            try
            {
                using var r = cmd.ExecuteReader();
                for (int i = 0; i < r.FieldCount; i++)
                {
                    var c = Cell.Bind(r, i);
                    names.Add(c.Name);
                    if (!cells.TryAdd(c.Name, c))
                        throw BadInputException.At(part.Display, c.Name, null, "the column appears more than once");
                }
            }
            catch (DuckDBException e)
            {
                throw Unreadable(part, e);
            }
        }
        CheckDuplicates(part, names);
        if (part.IsCsv && !part.Header && part.Names.Count > 0 && part.Names.Count != names.Count)
            throw BadInputException.At(part.Display, null, null, $"the file has {names.Count} columns but input.column_names lists {part.Names.Count} names");

        foreach (var role in roles)
        {
            if (!cells.TryGetValue(role.Column, out var cell))
            {
                if (role.Optional) continue;
                var near = names.FirstOrDefault(n => string.Equals(n, role.Column, StringComparison.OrdinalIgnoreCase));
                var have = string.Join(", ", names.Take(40)) + (names.Count > 40 ? ", ..." : "");
                throw BadInputException.At(part.Display, role.Column, null,
                    $"missing column (named by {role.What})" + (near is null ? $"; the input has: {have}" : $"; did you mean '{near}'?"));
            }
            if (Roles.TypeProblem(cell, role.Kind) is { } problem)
                throw BadInputException.At(part.Display, role.Column, null, $"{role.What}: {problem}");
        }
        _schemas[part] = cells;
    }

    /// <summary>DuckDB renames repeated names (a, a_1), so repeats are found in the raw header (CSV) or the Parquet schema.</summary>
    private static void CheckDuplicates(InputPart part, List<string> names)
    {
        List<string>? raw = null;
        if (part.IsCsv && part.Header && part.Names.Count == 0)
        {
            raw = CsvDiagnosis.HeaderNames(part);
        }
        else if (part.IsParquet && names.Any(n => LooksRenamed(n, names)))
        {
            try
            {
                using var reader = new ParquetFileReader(part.Display);
                var g = reader.FileMetaData!.Schema.GroupNode;
                raw = Enumerable.Range(0, g.FieldCount).Select(i => g.Field(i).Name).ToList();
            }
            catch (ParquetException)
            {
                return;
            }
        }
        if (raw is null) return;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < raw.Count; i++)
        {
            if (seen.TryGetValue(raw[i], out var first))
                throw BadInputException.At(part.Display, raw[i], null, $"duplicated column: the header names it at positions {first + 1} and {i + 1}");
            seen[raw[i]] = i;
        }
    }

    private static bool LooksRenamed(string n, List<string> names)
    {
        int u = n.LastIndexOf('_');
        return u > 0 && u < n.Length - 1 && n[(u + 1)..].All(char.IsAsciiDigit) && names.Contains(n[..u]);
    }

    public BadInputException Unreadable(InputPart part, DuckDBException e)
    {
        if (part.IsCsv && CsvConversionError(part, e.Message) is { } conversion) return conversion;
        if (part.IsCsv && CsvDiagnosis.Diagnose(part) is { } diagnosed) return diagnosed;
        var what = part.IsCsv || part.IsParquet ? "cannot read the file" : "the query failed";
        return BadInputException.At(part.Display, null, null, $"{what}: {Sql.Reason(e)}");
    }

    /// <summary>A value that does not fit the type DuckDB sniffed from the first rows: name the column and the data row.</summary>
    private static BadInputException? CsvConversionError(InputPart part, string message)
    {
        var line = Regex.Match(message, @"CSV Error on Line: (\d+)");
        var conv = Regex.Match(message, @"Error when converting column ""(.+?)""\. Could not convert string ""(.*?)"" to '(.+?)'");
        if (!line.Success || !conv.Success) return null;
        long row = long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) - (part.Header ? 1 : 0);
        return BadInputException.At(part.Display, conv.Groups[1].Value, row,
            $"'{Cell.Clip(conv.Groups[2].Value)}' is not a {conv.Groups[3].Value} (the type DuckDB detected from the first rows of the file)");
    }

    /// <summary>Streams the given columns of one part; the returned reader numbers rows from 1.</summary>
    public PartReader Read(InputPart part, IReadOnlyList<string> columns)
    {
        var cmd = _db.CreateCommand();
        cmd.UseStreamingMode = true;
        var list = columns.Count == 0 ? "1 AS __row" : string.Join(", ", columns.Select(Sql.Ident));
        cmd.CommandText = $"SELECT {list} FROM {part.Relation}";
        try
        {
            var reader = cmd.ExecuteReader();
            return new PartReader(this, part, cmd, reader);
        }
        catch (DuckDBException e)
        {
            cmd.Dispose();
            throw Unreadable(part, e);
        }
    }

    /// <summary>The values at the given 0-based positions of the sorted non-null column over all parts (for quantile splits), and the non-null count.</summary>
    public (long Count, double[] Values) SortedAt(string column, Func<long, long[]> positions)
    {
        var col = Sql.Ident(column);
        string relation;
        if (Parts.All(p => p.IsParquet))
            relation = $"read_parquet([{string.Join(", ", Parts.Select(p => Sql.Literal(p.Display)))}])";
        else
            relation = "(" + string.Join(" UNION ALL ", Parts.Select(p => $"SELECT {col} FROM {p.Relation}")) + ")";
        try
        {
            long count = (long)Scalar($"SELECT count({col}) FROM {relation}", out _);
            var pos = positions(count);
            var values = new double[pos.Length];
            for (int i = 0; i < pos.Length; i++)
            {
                values[i] = pos[i] >= count ? double.PositiveInfinity
                    : Scalar($"SELECT {col} FROM {relation} WHERE {col} IS NOT NULL ORDER BY {col} LIMIT 1 OFFSET {pos[i]}", out _);
            }
            return (count, values);
        }
        catch (DuckDBException e)
        {
            throw Unreadable(Parts[0], e);
        }
    }

    private double Scalar(string sql, out Cell cell)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        cell = Cell.Bind(r, 0);
        if (!r.Read() || r.IsDBNull(0)) return double.NaN;
        return cell.Number(r, NoPosition.Instance);
    }

    public void Dispose() => _db.Dispose();

    private sealed class NoPosition : IRowPosition
    {
        public static readonly NoPosition Instance = new();
        public string File => "";
        public long Row => 0;
    }
}

/// <summary>A streaming reader over one part; <see cref="Row"/> is the 1-based data row of the current record.</summary>
internal sealed class PartReader : IRowPosition, IDisposable
{
    private readonly DatasetScan _scan;
    private readonly DuckDBCommand _cmd;
    private readonly Dictionary<string, Cell> _cells = new(StringComparer.Ordinal);

    public PartReader(DatasetScan scan, InputPart part, DuckDBCommand cmd, DuckDBDataReader reader)
    {
        _scan = scan;
        Part = part;
        _cmd = cmd;
        Reader = reader;
        for (int i = 0; i < reader.FieldCount; i++)
        {
            var c = Cell.Bind(reader, i);
            _cells.TryAdd(c.Name, c);
        }
    }

    public InputPart Part { get; }
    public DuckDBDataReader Reader { get; }
    public string File => Part.Display;
    public long Row { get; private set; }

    public Cell Column(string column) => _cells[column];

    public Cell? OptColumn(string column) => _cells.GetValueOrDefault(column);

    public bool Next()
    {
        try
        {
            if (!Reader.Read()) return false;
        }
        catch (DuckDBException e)
        {
            throw _scan.Unreadable(Part, e);
        }
        Row++;
        return true;
    }

    public void Dispose()
    {
        Reader.Dispose();
        _cmd.Dispose();
    }
}
