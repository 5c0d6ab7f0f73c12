using ParquetSharp;

namespace Crossfeed.Data;

/// <summary>One Parquet file.</summary>
internal sealed class ParquetReader(string file) : InputReader(file)
{
    public override string Relation { get; } = $"read_parquet({Sql.Literal(file)})";

    public override string? ParquetFile => Display;

    /// <summary>DuckDB renames a repeated name (a, a_1): when a name looks renamed, the names come from the file's own schema.</summary>
    public override IReadOnlyList<string>? RawColumnNames(IReadOnlyList<string> reported)
    {
        if (!reported.Any(n => LooksRenamed(n, reported))) return null;
        try
        {
            using var reader = new ParquetFileReader(Display);
            var g = reader.FileMetaData!.Schema.GroupNode;
            return Enumerable.Range(0, g.FieldCount).Select(i => g.Field(i).Name).ToList();
        }
        catch (ParquetException)
        {
            return null;
        }
    }

    private static bool LooksRenamed(string n, IReadOnlyList<string> names)
    {
        int u = n.LastIndexOf('_');
        return u > 0 && u < n.Length - 1 && n[(u + 1)..].All(char.IsAsciiDigit) && names.Contains(n[..u]);
    }
}
