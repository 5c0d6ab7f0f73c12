using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// One thing DuckDB reads as a whole: a Parquet file, a CSV/TSV file, the dataset's SQL query, or a
/// file of a pre-split dataset. The kind is chosen once, by <see cref="Resolve"/>; everything that
/// differs between kinds (the SQL relation, how a header or schema reveals repeated column names, how
/// an unreadable input is explained) lives in the subclass, so the rest of the data layer never asks
/// which kind it has.
/// </summary>
internal abstract class InputReader
{
    protected InputReader(string display) => Display = display;

    /// <summary>What messages call this input: the file's path, or "input.query of CONFIG".</summary>
    public string Display { get; }

    /// <summary>The SQL table expression DuckDB reads.</summary>
    public abstract string Relation { get; }

    /// <summary>The split every row of this input belongs to (pre-split files); null when a split rule decides.</summary>
    public virtual SplitName? Split => null;

    /// <summary>The file's path when it is Parquet (several Parquet files are read by one read_parquet call).</summary>
    public virtual string? ParquetFile => null;

    /// <summary>
    /// The input's column names as written, when they may differ from what DuckDB reports (DuckDB renames
    /// a repeated name to name_1); null when DuckDB's names are the input's.
    /// </summary>
    public virtual IReadOnlyList<string>? RawColumnNames(IReadOnlyList<string> reported) => null;

    /// <summary>Checks the number of columns DuckDB found against what the config promises.</summary>
    public virtual void CheckColumnCount(int columns)
    {
    }

    /// <summary>Why DuckDB could not read this input, in the user's terms.</summary>
    public virtual BadInputException Explain(DuckDBException e) =>
        BadInputException.At(Display, null, null, $"cannot read the file: {Sql.Reason(e)}");

    /// <summary>The dataset's inputs: its query, or its files (pre-split files tagged with their split), in a stable (ordinal) order.</summary>
    public static List<InputReader> Resolve(DatasetConfig cfg)
    {
        var input = cfg.Input;
        if (input.Query is { } q) return [new QueryReader(q, cfg.ConfigPath)];
        if (input.Files is { } files)
        {
            return files.OrderBy(kv => kv.Key)
                .SelectMany(kv => Files(kv.Value, input, input.Format).Select(r => (InputReader)new PreSplitReader(r, kv.Key)))
                .ToList();
        }
        return Files(input.Path!, input, input.Format);
    }

    /// <summary>A file to score: laid out like the dataset (same CSV options); the format comes from the extension when it tells one.</summary>
    public static List<InputReader> ResolveForScoring(string path, InputSpec input)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        bool known = ext is ".parquet" or ".parq" or ".csv" or ".tsv" or ".tab";
        return Files(Path.GetFullPath(path), input, known ? InputFormat.Auto : input.Format);
    }

    /// <summary>One reader per file a path names: a file, a folder (every file of the format, recursively) or a glob.</summary>
    private static List<InputReader> Files(string path, InputSpec input, InputFormat format)
    {
        List<string> files;
        if (path.IndexOfAny(['*', '?']) >= 0)
        {
            files = ExpandGlob(path);
            if (files.Count == 0) throw BadInputException.At(path, null, null, "no files match this pattern");
        }
        else if (Directory.Exists(path))
        {
            var patterns = format switch
            {
                InputFormat.Csv => new[] { "*.csv" },
                InputFormat.Tsv => ["*.tsv", "*.txt"],
                _ => ["*.parquet", "*.parq"],
            };
            files = patterns.SelectMany(p => Directory.EnumerateFiles(path, p, SearchOption.AllDirectories))
                .Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw BadInputException.At(path, null, null, $"the folder has no {string.Join(" or ", patterns)} files");
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw BadInputException.At(path, null, null, "file not found");
        }
        return files.Select(f => ForFile(f, input, format)).ToList();
    }

    private static InputReader ForFile(string file, InputSpec input, InputFormat format)
    {
        if (format == InputFormat.Auto) format = FromExtension(file);
        if (new FileInfo(file).Length == 0) throw BadInputException.At(file, null, null, "the file is empty");
        return format == InputFormat.Parquet
            ? new ParquetReader(file)
            : new CsvReader(file, format == InputFormat.Tsv ? '\t' : ',', input.Header, input.ColumnNames);
    }

    private static List<string> ExpandGlob(string pattern)
    {
        int wild = pattern.IndexOfAny(['*', '?']);
        int sep = pattern.LastIndexOf('/', wild);
        var dir = sep < 0 ? "." : pattern[..sep];
        var rest = pattern[(sep + 1)..];
        var option = SearchOption.TopDirectoryOnly;
        if (rest.StartsWith("**/", StringComparison.Ordinal))
        {
            option = SearchOption.AllDirectories;
            rest = rest[3..];
        }
        if (rest.Contains('/') || !Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, rest, option).Order(StringComparer.Ordinal).ToList();
    }

    private static InputFormat FromExtension(string file)
    {
        var ext = Path.GetExtension(file).ToLowerInvariant();
        return ext switch
        {
            ".parquet" or ".parq" => InputFormat.Parquet,
            ".csv" => InputFormat.Csv,
            ".tsv" or ".tab" => InputFormat.Tsv,
            _ => throw BadInputException.At(file, null, null, $"cannot tell the format from the extension '{ext}'; set input.format (parquet, csv or tsv)"),
        };
    }
}
