using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>SQL text for DuckDB: literals, identifiers, and its error messages in one line.</summary>
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

