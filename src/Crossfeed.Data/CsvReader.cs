using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// One CSV or TSV file, with or without a header, optionally with the column names given by the
/// config. When DuckDB's reason for not reading it is generic, the file is examined to explain it in
/// the user's terms (binary data, not UTF-8, ragged rows, wrong column_names, a value that does not fit
/// the sniffed type).
/// </summary>
internal sealed class CsvReader : InputReader
{
    private readonly char _delimiter;
    private readonly bool _header;
    private readonly IReadOnlyList<string> _names;

    public CsvReader(string file, char delimiter, bool header, IReadOnlyList<string> names) : base(file)
    {
        _delimiter = delimiter;
        _header = header;
        _names = names;
        if (header && !HasDataLine(file))
            throw BadInputException.At(file, null, null, "the file has a header but no data rows");
        var sb = new StringBuilder();
        sb.Append("read_csv(").Append(Sql.Literal(file))
            .Append(", delim=").Append(Sql.Literal(delimiter.ToString()))
            .Append(", quote='\"', header=").Append(header ? "true" : "false");
        if (names.Count > 0)
            sb.Append(", names=[").Append(string.Join(", ", names.Select(Sql.Literal))).Append(']');
        sb.Append(')');
        Relation = sb.ToString();
    }

    public override string Relation { get; }

    /// <summary>DuckDB renames a repeated header name (a, a_1), so repeats are found in the raw header.</summary>
    public override IReadOnlyList<string>? RawColumnNames(IReadOnlyList<string> reported) =>
        _header && _names.Count == 0 ? HeaderNames() : null;

    public override void CheckColumnCount(int columns)
    {
        if (!_header && _names.Count > 0 && _names.Count != columns)
            throw BadInputException.At(Display, null, null, $"the file has {columns} columns but input.column_names lists {_names.Count} names");
    }

    public override BadInputException Explain(DuckDBException e) =>
        ConversionError(e.Message) ?? Diagnose() ?? base.Explain(e);

    /// <summary>A value that does not fit the type DuckDB sniffed from the first rows: name the column and the data row.</summary>
    private BadInputException? ConversionError(string message)
    {
        var line = Regex.Match(message, @"CSV Error on Line: (\d+)");
        var conv = Regex.Match(message, @"Error when converting column ""(.+?)""\. Could not convert string ""(.*?)"" to '(.+?)'");
        if (!line.Success || !conv.Success) return null;
        long row = long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) - (_header ? 1 : 0);
        return BadInputException.At(Display, conv.Groups[1].Value, row,
            $"'{Cell.Clip(conv.Groups[2].Value)}' is not a {conv.Groups[3].Value} (the type DuckDB detected from the first rows of the file)");
    }

    private BadInputException? Diagnose()
    {
        try
        {
            return DiagnoseFile();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private BadInputException? DiagnoseFile()
    {
        var file = Display;
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
            int fields = CountFields(line, _delimiter);
            if (first)
            {
                first = false;
                if (_header)
                {
                    expected = fields;
                    if (_names.Count > 0 && _names.Count != fields)
                        return BadInputException.At(file, null, null, $"input.column_names lists {_names.Count} names but the header has {fields} columns");
                    continue;
                }
                expected = _names.Count > 0 ? _names.Count : fields;
            }
            row++;
            if (fields != expected)
            {
                var what = _names.Count > 0 && !_header
                    ? $"has {fields} fields but input.column_names lists {expected} names"
                    : $"has {fields} fields, expected {expected}";
                return BadInputException.At(file, null, row, what);
            }
        }
        return null;
    }

    /// <summary>Fields of one line, honouring double quotes.</summary>
    private static int CountFields(string line, char delim)
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

    /// <summary>The raw header names.</summary>
    private List<string> HeaderNames()
    {
        using var reader = new StreamReader(Display, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = reader.ReadLine() ?? "";
        var names = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == _delimiter && !quoted)
            {
                names.Add(sb.ToString().Trim());
                sb.Clear();
            }
            else sb.Append(c);
        }
        names.Add(sb.ToString().Trim());
        return names;
    }

    private static bool HasDataLine(string file)
    {
        using var reader = new StreamReader(file);
        int lines = 0;
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0 && ++lines == 2) return true;
        return false;
    }
}
