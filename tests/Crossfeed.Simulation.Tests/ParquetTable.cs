using ParquetSharp;

namespace Crossfeed.Simulation.Tests;

/// <summary>A whole Parquet file read back into one array per column (test helper).</summary>
public sealed class ParquetTable
{
    private ParquetTable(string path, IReadOnlyList<string> names, Dictionary<string, Array> columns, int rows)
    {
        Path = path;
        Names = names;
        Columns = columns;
        Rows = rows;
    }

    public string Path { get; }

    public IReadOnlyList<string> Names { get; }

    public Dictionary<string, Array> Columns { get; }

    public int Rows { get; }

    public T[] Get<T>(string name) => (T[])Columns[name];

    public static ParquetTable Read(string path)
    {
        using var file = new ParquetFileReader(path);
        var md = file.FileMetaData;
        var names = new List<string>();
        var parts = new List<List<Array>>();
        for (int c = 0; c < md.NumColumns; c++)
        {
            names.Add(md.Schema.Column(c).Path.ToDotVector()[0]);
            parts.Add([]);
        }
        for (int g = 0; g < md.NumRowGroups; g++)
        {
            using var rowGroup = file.RowGroup(g);
            int n = checked((int)rowGroup.MetaData.NumRows);
            for (int c = 0; c < md.NumColumns; c++)
            {
                using var reader = rowGroup.Column(c).LogicalReader();
                parts[c].Add(reader.Apply(new ReadAll(n)));
            }
        }
        var columns = new Dictionary<string, Array>();
        for (int c = 0; c < names.Count; c++)
        {
            var first = parts[c][0];
            var all = Array.CreateInstance(first.GetType().GetElementType()!, parts[c].Sum(p => p.Length));
            int offset = 0;
            foreach (var p in parts[c])
            {
                Array.Copy(p, 0, all, offset, p.Length);
                offset += p.Length;
            }
            columns[names[c]] = all;
        }
        return new ParquetTable(path, names, columns, checked((int)md.NumRows));
    }

    /// <summary>Element-wise equality, looking into nested arrays (list columns); floats compared bit for bit.</summary>
    public static bool DeepEqual(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is Array x && b is Array y)
        {
            if (x.Length != y.Length || x.GetType() != y.GetType()) return false;
            for (int i = 0; i < x.Length; i++)
                if (!DeepEqual(x.GetValue(i), y.GetValue(i))) return false;
            return true;
        }
        return a.Equals(b);
    }

    private sealed class ReadAll(int rows) : ILogicalColumnReaderVisitor<Array>
    {
        public Array OnLogicalColumnReader<TValue>(LogicalColumnReader<TValue> columnReader) => columnReader.ReadAll(rows);
    }
}
