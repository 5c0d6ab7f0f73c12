using DuckDB.NET.Data;

namespace Crossfeed;

/// <summary>
/// Rows of a DuckDB query as column name to value (values as DuckDB returns them, lists as lists, DBNull as
/// null), for tests that compare raw values with what a command wrote. Linked into the test projects that
/// reference DuckDB (their csproj includes it).
/// </summary>
public static class DuckRows
{
    public static List<IReadOnlyDictionary<string, object?>> Query(string sql)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (r.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (int c = 0; c < r.FieldCount; c++) row[r.GetName(c)] = r.IsDBNull(c) ? null : r.GetValue(c);
            rows.Add(row);
        }
        return rows;
    }
}
