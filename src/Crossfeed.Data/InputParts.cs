using System.Text;
using System.Text.Unicode;
using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// One thing DuckDB reads as a whole: a file, or the dataset's query. Display names it in messages;
/// Relation is the SQL table expression; Split is set for pre-split files.
/// </summary>
internal sealed record InputPart(string Display, string Relation, SplitName? Split, bool IsCsv, bool IsParquet, char Delimiter, bool Header, IReadOnlyList<string> Names);

/// <summary>Turns a dataset's input spec into parts: files in a stable (ordinal) order, folders and globs expanded.</summary>
internal static class InputResolver
{
    public static List<InputPart> Resolve(DatasetConfig cfg)
    {
        var input = cfg.Input;
        if (input.Query is { } q)
        {
            var display = $"input.query of {cfg.ConfigPath}";
            return [new InputPart(display, $"({q})", null, false, false, ',', true, input.ColumnNames)];
        }
        if (input.Files is { } files)
        {
            var parts = new List<InputPart>();
            foreach (var (split, path) in files.OrderBy(kv => kv.Key))
                parts.AddRange(ResolvePath(path, input, split, input.Format));
            return parts;
        }
        return ResolvePath(input.Path!, input, null, input.Format);
    }

    /// <summary>A file to score: laid out like the dataset (same CSV options); the format comes from the extension when it tells one.</summary>
    public static List<InputPart> ResolveForScoring(string path, InputSpec input)
    {
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        bool known = ext is ".parquet" or ".parq" or ".csv" or ".tsv" or ".tab";
        return ResolvePath(System.IO.Path.GetFullPath(path), input, null, known ? InputFormat.Auto : input.Format);
    }

    public static List<InputPart> ResolvePath(string path, InputSpec input, SplitName? split, InputFormat format)
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
        return files.Select(f => Part(f, input, split, format)).ToList();
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

    private static InputPart Part(string file, InputSpec input, SplitName? split, InputFormat format)
    {
        if (format == InputFormat.Auto) format = FromExtension(file);
        if (new FileInfo(file).Length == 0) throw BadInputException.At(file, null, null, "the file is empty");
        var lit = Sql.Literal(file);
        if (format == InputFormat.Parquet)
            return new InputPart(file, $"read_parquet({lit})", split, false, true, ',', true, input.ColumnNames);
        char delim = format == InputFormat.Tsv ? '\t' : ',';
        if (input.Header && !HasDataLine(file))
            throw BadInputException.At(file, null, null, "the file has a header but no data rows");
        var sb = new StringBuilder();
        sb.Append("read_csv(").Append(lit)
            .Append(", delim=").Append(Sql.Literal(delim.ToString()))
            .Append(", quote='\"', header=").Append(input.Header ? "true" : "false");
        if (input.ColumnNames.Count > 0)
            sb.Append(", names=[").Append(string.Join(", ", input.ColumnNames.Select(Sql.Literal))).Append(']');
        sb.Append(')');
        return new InputPart(file, sb.ToString(), split, true, false, delim, input.Header, input.ColumnNames);
    }

    private static bool HasDataLine(string file)
    {
        using var reader = new StreamReader(file);
        int lines = 0;
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0 && ++lines == 2) return true;
        return false;
    }

    private static InputFormat FromExtension(string file)
    {
        var ext = System.IO.Path.GetExtension(file).ToLowerInvariant();
        return ext switch
        {
            ".parquet" or ".parq" => InputFormat.Parquet,
            ".csv" => InputFormat.Csv,
            ".tsv" or ".tab" => InputFormat.Tsv,
            _ => throw BadInputException.At(file, null, null, $"cannot tell the format from the extension '{ext}'; set input.format (parquet, csv or tsv)"),
        };
    }
}

internal static class Sql
{
    public static string Literal(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Ident(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>DuckDB's reason in one line: its first line, plus the second when the first only says that sniffing failed.</summary>
    public static string Reason(DuckDBException e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("LINE ", StringComparison.Ordinal) && !l.StartsWith('^') && !l.StartsWith('*'))
            .ToList();
        if (lines.Count == 0) return "DuckDB could not read it";
        var reason = lines[0];
        if (lines.Count > 1 && reason.Contains("Error when sniffing", StringComparison.Ordinal)) reason += " " + lines[1];
        return reason;
    }
}

/// <summary>Explains why a CSV/TSV is unreadable in the user's terms (binary data, ragged rows, wrong column_names) when DuckDB's reason is generic.</summary>
internal static class CsvDiagnosis
{
    public static BadInputException? Diagnose(InputPart part)
    {
        try
        {
            return Run(part);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static BadInputException? Run(InputPart part)
    {
        var file = part.Display;
        using (var fs = File.OpenRead(file))
        {
            var buf = new byte[65536];
            int n = fs.ReadAtLeast(buf, buf.Length, throwOnEndOfStream: false);
            var head = buf.AsSpan(0, n);
            if (head.IndexOf((byte)0) >= 0) return BadInputException.At(file, null, null, "the file is not text (it holds binary data)");
            if (n == buf.Length)
            {
                int lastNl = head.LastIndexOf((byte)'\n');
                head = lastNl > 0 ? head[..lastNl] : head[..(n - 4)];
            }
            if (!Utf8.IsValid(head)) return BadInputException.At(file, null, null, "the file is not UTF-8 text");
        }
        using var reader = new StreamReader(file, Encoding.UTF8);
        int expected = -1;
        long row = 0;
        bool first = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            int fields = CountFields(line, part.Delimiter);
            if (first)
            {
                first = false;
                if (part.Header)
                {
                    expected = fields;
                    if (part.Names.Count > 0 && part.Names.Count != fields)
                        return BadInputException.At(file, null, null, $"input.column_names lists {part.Names.Count} names but the header has {fields} columns");
                    continue;
                }
                expected = part.Names.Count > 0 ? part.Names.Count : fields;
            }
            row++;
            if (fields != expected)
            {
                var what = part.Names.Count > 0 && !part.Header
                    ? $"has {fields} fields but input.column_names lists {expected} names"
                    : $"has {fields} fields, expected {expected}";
                return BadInputException.At(file, null, row, what);
            }
        }
        return null;
    }

    /// <summary>Fields of one line, honouring double quotes.</summary>
    public static int CountFields(string line, char delim)
    {
        int count = 1;
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delim && !quoted) count++;
        }
        return count;
    }

    /// <summary>The raw header names (DuckDB renames a repeated name to name_1, so repeats are found here).</summary>
    public static List<string> HeaderNames(InputPart part)
    {
        using var reader = new StreamReader(part.Display, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = reader.ReadLine() ?? "";
        var names = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == part.Delimiter && !quoted)
            {
                names.Add(sb.ToString().Trim());
                sb.Clear();
            }
            else sb.Append(c);
        }
        names.Add(sb.ToString().Trim());
        return names;
    }
}
