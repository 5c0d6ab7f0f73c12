using Crossfeed.Core;
using ParquetSharp;

namespace Crossfeed.Simulation;

/// <summary>Reads whole columns of a Parquet file by name.</summary>
internal sealed class ParquetTableReader : IDisposable
{
    private readonly ParquetFileReader _reader;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public ParquetTableReader(string path)
    {
        File = path;
        _reader = new ParquetFileReader(path);
        var schema = _reader.FileMetaData.Schema;
        for (int i = 0; i < schema.NumColumns; i++)
        {
            // List columns appear as name.list.item; the top-level name is what we ask for.
            var path0 = schema.Column(i).Path.ToDotVector()[0];
            _index.TryAdd(path0, i);
        }
        Rows = checked((int)_reader.FileMetaData.NumRows);
    }

    public string File { get; }

    public int Rows { get; }

    public T[] Read<T>(string name)
    {
        if (!_index.TryGetValue(name, out int col)) throw new BadInputException($"{File}: column '{name}' is missing");
        var result = new T[Rows];
        int offset = 0;
        for (int g = 0; g < _reader.FileMetaData.NumRowGroups; g++)
        {
            using var rowGroup = _reader.RowGroup(g);
            int n = checked((int)rowGroup.MetaData.NumRows);
            using var column = rowGroup.Column(col).LogicalReader<T>();
            int done = 0;
            while (done < n)
            {
                int read = column.ReadBatch(result.AsSpan(offset + done, n - done));
                if (read <= 0) throw new BadInputException($"{File}: column '{name}' is truncated");
                done += read;
            }
            offset += n;
        }
        return result;
    }

    public void Dispose() => _reader.Dispose();
}
