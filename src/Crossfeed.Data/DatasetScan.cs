using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// The dataset's parts with their checked schemas, on one in-memory DuckDB connection. Every column
/// the config names is checked in every part before any row is read.
/// </summary>
internal sealed class DatasetScan : IDisposable
{
    private readonly DuckDBConnection _db;
    private readonly Dictionary<InputReader, Dictionary<string, Cell>> _schemas = [];

    private DatasetScan(DatasetConfig cfg, List<InputReader> parts)
    {
        Config = cfg;
        Parts = parts;
        _db = new DuckDBConnection("DataSource=:memory:");
        _db.Open();
    }

    public DatasetConfig Config { get; }
    public IReadOnlyList<InputReader> Parts { get; }

    /// <summary>Optional columns (labels, truth, analysis when scoring) that every part has.</summary>
    public HashSet<string> Present { get; } = new(StringComparer.Ordinal);

    /// <summary>What to call the whole input in messages that are not about one file.</summary>
    public string InputName => Config.Input.Query is not null ? Parts[0].Display
        : Config.Input.Path ?? Config.ConfigPath;

    public static DatasetScan Open(DatasetConfig cfg, List<InputReader> parts, IReadOnlyList<ColumnRole> roles, IProgress<LoadProgress>? progress, CancellationToken ct)
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

    private void CheckSchema(InputReader part, IReadOnlyList<ColumnRole> roles)
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
                throw part.Explain(e);
            }
        }
        CheckDuplicates(part, names);
        part.CheckColumnCount(names.Count);

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

    /// <summary>DuckDB renames repeated names (a, a_1), so repeats are found in the names as the input writes them.</summary>
    private static void CheckDuplicates(InputReader input, List<string> names)
    {
        if (input.RawColumnNames(names) is not { } raw) return;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < raw.Count; i++)
        {
            if (seen.TryGetValue(raw[i], out var first))
                throw BadInputException.At(input.Display, raw[i], null, $"duplicated column: the header names it at positions {first + 1} and {i + 1}");
            seen[raw[i]] = i;
        }
    }

    /// <summary>Streams the given columns of one part; the returned reader numbers rows from 1.</summary>
    public RowCursor Read(InputReader part, IReadOnlyList<string> columns)
    {
        var cmd = _db.CreateCommand();
        cmd.UseStreamingMode = true;
        var list = columns.Count == 0 ? "1 AS __row" : string.Join(", ", columns.Select(Sql.Ident));
        cmd.CommandText = $"SELECT {list} FROM {part.Relation}";
        try
        {
            var reader = cmd.ExecuteReader();
            return new RowCursor(part, cmd, reader);
        }
        catch (DuckDBException e)
        {
            cmd.Dispose();
            throw part.Explain(e);
        }
    }

    /// <summary>The values at the given 0-based positions of the sorted non-null column over all parts (for quantile splits), and the non-null count.</summary>
    public (long Count, double[] Values) SortedAt(string column, Func<long, long[]> positions)
    {
        var col = Sql.Ident(column);
        string relation;
        if (Parts.All(p => p.ParquetFile is not null))
            relation = $"read_parquet([{string.Join(", ", Parts.Select(p => Sql.Literal(p.ParquetFile!)))}])";
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
            throw Parts[0].Explain(e);
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
