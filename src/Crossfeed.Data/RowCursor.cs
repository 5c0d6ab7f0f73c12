using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>A streaming reader over one part; <see cref="Row"/> is the 1-based data row of the current record.</summary>
internal sealed class RowCursor : IRowPosition, IDisposable
{
    private readonly DuckDBCommand _cmd;
    private readonly Dictionary<string, Cell> _cells = new(StringComparer.Ordinal);

    public RowCursor(InputReader part, DuckDBCommand cmd, DuckDBDataReader reader)
    {
        Part = part;
        _cmd = cmd;
        Reader = reader;
        for (int i = 0; i < reader.FieldCount; i++)
        {
            var c = Cell.Bind(reader, i);
            _cells.TryAdd(c.Name, c);
        }
    }

    public InputReader Part { get; }
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
            throw Part.Explain(e);
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
