namespace Crossfeed.Data;

/// <summary>One column as DuckDB's SUMMARIZE sees it, plus the share of zeros and the skewness of numbers.</summary>
internal sealed record ColumnProfile(string Name, string Type, long Distinct, long Count, double NullShare, double ZeroShare, double Skewness)
{
    public bool IsList => Type.EndsWith(']');

    public bool IsTime => Type is "DATE" || Type.StartsWith("TIMESTAMP", StringComparison.Ordinal);

    public bool IsNumber => Type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT"
        or "FLOAT" or "DOUBLE" || Type.StartsWith("DECIMAL", StringComparison.Ordinal);

    public bool IsInteger => IsNumber && Type is not ("FLOAT" or "DOUBLE") && !Type.StartsWith("DECIMAL", StringComparison.Ordinal);
}
