using Crossfeed.Core;
using ParquetSharp;

namespace Crossfeed.Simulation;

/// <summary>
/// A Parquet file described column by column: each column has a name and a function giving its value
/// for a row. Written in row groups through reused buffers, under a temporary name then renamed.
/// </summary>
internal sealed class ParquetTableWriter
{
    private readonly List<Column> _columns = [];
    private readonly List<Action<RowGroupWriter, int, int>> _writers = [];
    private readonly List<string> _plain = [];

    public IReadOnlyList<string> Names => _columns.Select(c => c.Name).ToList();

    /// <summary>
    /// A column written through the logical writer. <paramref name="dictionary"/> false for columns of
    /// mostly distinct values (ids, timestamps, probabilities), where dictionary encoding only costs time.
    /// </summary>
    public void Add<T>(string name, Func<int, T> value, LogicalType? logicalType = null, bool dictionary = true)
    {
        _columns.Add(logicalType is null ? new Column<T>(name) : new Column<T>(name, logicalType));
        if (!dictionary) _plain.Add(name);
        T[] buffer = [];
        _writers.Add((rowGroup, start, n) =>
        {
            if (buffer.Length < n) buffer = new T[n];
            for (int i = 0; i < n; i++) buffer[i] = value(start + i);
            using var writer = rowGroup.NextColumn().LogicalWriter<T>();
            writer.WriteBatch(buffer.AsSpan(0, n));
        });
    }

    /// <summary>
    /// A nullable string column over a small vocabulary; code -1 is null. Written as pre-encoded UTF-8
    /// through the physical writer (the logical string writer encodes every row again).
    /// </summary>
    public void AddStrings(string name, Func<int, int> code, IReadOnlyList<string> vocabulary)
    {
        _columns.Add(new Column<string>(name));
        var utf8 = new Utf8Vocabulary(vocabulary);
        short[] def = [];
        ByteArray[] values = [];
        _writers.Add((rowGroup, start, n) =>
        {
            if (def.Length < n)
            {
                def = new short[n];
                values = new ByteArray[n];
            }
            int nv = 0;
            for (int i = 0; i < n; i++)
            {
                int k = code(start + i);
                if (k < 0)
                {
                    def[i] = 0;
                }
                else
                {
                    def[i] = 1;
                    values[nv++] = utf8[k];
                }
            }
            using var writer = (ColumnWriter<ByteArray>)rowGroup.NextColumn();
            writer.WriteBatch(n, def.AsSpan(0, n), default, values.AsSpan(0, nv));
            GC.KeepAlive(utf8);
        });
    }

    /// <summary>
    /// A list column of a primitive type (int or float), written with explicit definition and repetition
    /// levels (schema: optional list of required items). Rows reuse the caller's arrays; null is a null list.
    /// </summary>
    public void AddLists<T>(string name, Func<int, T[]?> value)
        where T : unmanaged
    {
        _columns.Add(new Column<T[]>(name));
        var buffers = new LevelBuffers<T>();
        _writers.Add((rowGroup, start, n) =>
        {
            int levels = 0;
            for (int i = 0; i < n; i++) levels += Math.Max(1, value(start + i)?.Length ?? 0);
            buffers.Ensure(levels);
            int lv = 0, nv = 0;
            for (int i = 0; i < n; i++)
            {
                var a = value(start + i);
                if (a is null || a.Length == 0)
                {
                    buffers.Def[lv] = (short)(a is null ? 0 : 1);
                    buffers.Rep[lv++] = 0;
                    continue;
                }
                for (int j = 0; j < a.Length; j++)
                {
                    buffers.Def[lv] = 2;
                    buffers.Rep[lv++] = (short)(j == 0 ? 0 : 1);
                    buffers.Values[nv++] = a[j];
                }
            }
            using var writer = (ColumnWriter<T>)rowGroup.NextColumn();
            writer.WriteBatch(lv, buffers.Def.AsSpan(0, lv), buffers.Rep.AsSpan(0, lv), buffers.Values.AsSpan(0, nv));
        });
    }

    /// <summary>A list-of-strings column over a small vocabulary (schema: optional list of optional strings).</summary>
    public void AddStringLists(string name, Func<int, int[]?> codes, IReadOnlyList<string> vocabulary)
    {
        _columns.Add(new Column<string[]>(name));
        var utf8 = new Utf8Vocabulary(vocabulary);
        var buffers = new LevelBuffers<ByteArray>();
        _writers.Add((rowGroup, start, n) =>
        {
            int levels = 0;
            for (int i = 0; i < n; i++) levels += Math.Max(1, codes(start + i)?.Length ?? 0);
            buffers.Ensure(levels);
            int lv = 0, nv = 0;
            for (int i = 0; i < n; i++)
            {
                var a = codes(start + i);
                if (a is null || a.Length == 0)
                {
                    buffers.Def[lv] = (short)(a is null ? 0 : 1);
                    buffers.Rep[lv++] = 0;
                    continue;
                }
                for (int j = 0; j < a.Length; j++)
                {
                    buffers.Def[lv] = 3;
                    buffers.Rep[lv++] = (short)(j == 0 ? 0 : 1);
                    buffers.Values[nv++] = utf8[a[j]];
                }
            }
            using var writer = (ColumnWriter<ByteArray>)rowGroup.NextColumn();
            writer.WriteBatch(lv, buffers.Def.AsSpan(0, lv), buffers.Rep.AsSpan(0, lv), buffers.Values.AsSpan(0, nv));
            GC.KeepAlive(utf8);
        });
    }

    public void Write(string path, int rows, int rowGroupSize, CancellationToken ct = default) => AtomicFile.Write(path, tmp =>
    {
        using var file = Open(tmp);
        file.Append(0, rows, rowGroupSize, ct);
        file.Close();
    });

    /// <summary>
    /// Opens <paramref name="path"/> (as is: the caller names it aside and renames it) for rows appended in runs: the
    /// column functions are read again for each run, so a table can be written from a buffer refilled between runs.
    /// </summary>
    public Appender Open(string path)
    {
        var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy);
        foreach (var name in _plain) builder.DisableDictionary(name);
        var properties = builder.Build();
        try
        {
            return new Appender(new ParquetFileWriter(path, _columns.ToArray(), properties), properties, _writers);
        }
        catch
        {
            properties.Dispose();
            throw;
        }
    }

    /// <summary>An open Parquet file taking runs of rows as row groups.</summary>
    public sealed class Appender(ParquetFileWriter file, WriterProperties properties, IReadOnlyList<Action<RowGroupWriter, int, int>> writers) : IDisposable
    {
        /// <summary>Writes rows [<paramref name="firstRow"/>, firstRow + <paramref name="rows"/>) as row groups of at most <paramref name="rowGroupSize"/>.</summary>
        public void Append(int firstRow, int rows, int rowGroupSize, CancellationToken ct = default)
        {
            for (int start = 0; start < rows; start += rowGroupSize)
            {
                ct.ThrowIfCancellationRequested();
                int n = Math.Min(rowGroupSize, rows - start);
                using var rowGroup = file.AppendRowGroup();
                foreach (var w in writers) w(rowGroup, firstRow + start, n);
            }
        }

        public void Close() => file.Close();

        public void Dispose()
        {
            file.Dispose();
            properties.Dispose();
        }
    }
}
