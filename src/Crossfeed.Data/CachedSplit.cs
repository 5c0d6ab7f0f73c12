using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Crossfeed.Core;
using Microsoft.Win32.SafeHandles;

namespace Crossfeed.Data;

/// <summary>
/// One split of an encoded cache on disk, read by row range with positioned reads: training out of core reads
/// blocks of rows without holding the split (docs/data.md, "Encoded cache"). Reads go through the OS page cache,
/// not a memory map, so the process's resident memory counts only the rows it holds, whatever the split's size.
/// Safe for one reader at a time.
/// </summary>
public sealed class CachedSplit : IDisposable
{
    private readonly string _dir;
    private readonly CachedSplitManifest _manifest;
    private readonly Dictionary<string, SafeFileHandle> _open = new(StringComparer.Ordinal);

    private CachedSplit(string dir, CachedSplitManifest manifest)
    {
        _dir = dir;
        _manifest = manifest;
    }

    public SplitName Name => _manifest.Name;
    public int Count => _manifest.Count;

    /// <summary>The split in the folder <paramref name="dir"/> (a cache's train, val or test folder).</summary>
    public static CachedSplit Open(string dir)
    {
        var path = Path.Combine(dir, CachedSplitWriter.ManifestFile);
        if (!File.Exists(path)) throw new BadInputException($"{dir}: not a cached split (no {CachedSplitWriter.ManifestFile}; run `crossfeed prepare` again)");
        var manifest = JsonSerializer.Deserialize<CachedSplitManifest>(File.ReadAllText(path), CachedSplitWriter.Json)
            ?? throw new BadInputException($"{path} is empty (run `crossfeed prepare` again)");
        return new CachedSplit(dir, manifest);
    }

    /// <summary>Writes <paramref name="split"/> as a cached split into the new folder <paramref name="dir"/> (as <c>prepare</c> writes each split) and opens it.</summary>
    public static CachedSplit Write(EncodedSplit split, string dir)
    {
        ArgumentNullException.ThrowIfNull(split);
        using (var writer = new CachedSplitWriter(dir))
        {
            writer.Append(split);
            writer.Finish(split.Name);
        }
        return Open(dir);
    }

    /// <summary>Every row with every column, keys included, in time order when the split has a time column (as <see cref="DatasetLoader"/> gives it).</summary>
    public EncodedSplit ReadAll()
    {
        var split = Read(0, Count, withKeys: true);
        return split.Time is { } time && SplitBuilder.TimeOrder(time) is { } order ? split.Subset(order) : split;
    }

    /// <summary>Rows start .. start + count - 1 in file order, every column but the keys.</summary>
    public EncodedSplit Read(int start, int count) => Read(start, count, withKeys: false);

    /// <summary>The source index of rows start .. start + count - 1.</summary>
    public int[] ReadSource(int start, int count) => Array<int>(Only(CacheSectionKind.Source, ""), start, count, 1);

    /// <summary>The text analysis column <paramref name="role"/> of rows start .. start + count - 1, or null when the split has none.</summary>
    public string?[]? ReadText(string role, int start, int count)
    {
        var s = _manifest.Sections.FirstOrDefault(x => x.Kind == CacheSectionKind.AnalysisText && x.Name == role);
        return s is null ? null : Decode(s, start, count);
    }

    /// <summary>
    /// The split in consecutive blocks of at most <paramref name="blockRows"/> rows (keys left out). When the split has
    /// more than <paramref name="maxRows"/> rows, every s-th block only (block 0, s, 2s, ...; s as small as keeps the
    /// rows within <paramref name="maxRows"/>): a systematic sample spread over the whole split, in time order.
    /// </summary>
    public IEnumerable<EncodedSplit> Blocks(int blockRows, int maxRows = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, blockRows);
        int blocks = (int)((Count + (long)blockRows - 1) / blockRows);
        int stride = Count <= maxRows ? 1 : (blocks + maxRows / blockRows - 1) / (maxRows / blockRows);
        for (int b = 0; b < blocks; b += stride)
        {
            int start = b * blockRows;
            yield return Read(start, Math.Min(blockRows, Count - start));
        }
    }

    private EncodedSplit Read(int start, int count, bool withKeys)
    {
        if (start < 0 || count < 0 || start + (long)count > Count) throw new ArgumentOutOfRangeException(nameof(count), $"rows {start}..{start + count - 1} are outside 0..{Count - 1}");
        var ids = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var offsets = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var dense = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var piecewise = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var truth = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var analysis = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var keys = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        double[]? time = null;
        var lists = _manifest.Sections.Where(s => s.Kind == CacheSectionKind.ListOffsets).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var s in _manifest.Sections)
        {
            switch (s.Kind)
            {
                case CacheSectionKind.Ids when lists.Contains(s.Name):
                    var off = Array<long>(Only(CacheSectionKind.ListOffsets, s.Name), start, count + 1, 1);
                    long items = off[count] - off[0];
                    if (items > System.Array.MaxLength) throw new BadInputException($"{_dir}: {s.Name} has {items:N0} list items in rows {start}..{start + count - 1}; read fewer rows at a time");
                    ids[s.Name] = Array<int>(s, off[0], (int)items);
                    var rebased = new int[count + 1];
                    for (int i = 0; i <= count; i++) rebased[i] = (int)(off[i] - off[0]);
                    offsets[s.Name] = rebased;
                    break;
                case CacheSectionKind.Ids: ids[s.Name] = Array<int>(s, start, count, 1); break;
                case CacheSectionKind.Dense: dense[s.Name] = Array<float>(s, start, count, Width(s)); break;
                case CacheSectionKind.Piecewise: piecewise[s.Name] = Array<float>(s, start, count, Width(s)); break;
                case CacheSectionKind.Labels: labels[s.Name] = Array<float>(s, start, count, 1); break;
                case CacheSectionKind.Truth: truth[s.Name] = Array<float>(s, start, count, 1); break;
                case CacheSectionKind.Analysis: analysis[s.Name] = Array<double>(s, start, count, 1); break;
                case CacheSectionKind.AnalysisText: texts[s.Name] = Decode(s, start, count); break;
                case CacheSectionKind.Keys when withKeys: keys[s.Name] = Texts(s, start, count); break;
                case CacheSectionKind.Time: time = Array<double>(s, start, count, 1); break;
            }
        }
        return new EncodedSplit
        {
            Name = Name, Count = count, Source = ReadSource(start, count), Ids = ids, ListOffsets = offsets, Dense = dense, Piecewise = piecewise,
            Labels = labels, Truth = truth, Analysis = analysis, AnalysisText = texts, Keys = keys, Time = time,
        };
    }

    private CacheSection Only(CacheSectionKind kind, string name) =>
        _manifest.Sections.FirstOrDefault(s => s.Kind == kind && s.Name == name)
        ?? throw new BadInputException($"{_dir}: no {kind} section '{name}' (run `crossfeed prepare` again)");

    private int Width(CacheSection s) => Count == 0 ? 0 : (int)(RandomAccess.GetLength(Handle(s)) / (4L * Count));

    /// <summary>count rows of width elements each, from row start.</summary>
    private T[] Array<T>(CacheSection s, long start, int count, int width) where T : unmanaged => Array<T>(s, start * width, checked(count * width));

    /// <summary>count elements from element <paramref name="first"/>.</summary>
    private T[] Array<T>(CacheSection s, long first, int count) where T : unmanaged
    {
        var values = new T[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        long at = first * s.ElementSize;
        var handle = Handle(s);
        while (bytes.Length > 0)
        {
            int n = RandomAccess.Read(handle, bytes, at);
            if (n == 0) throw new BadInputException($"{Path.Combine(_dir, s.File)} is shorter than its manifest says (run `crossfeed prepare` again)");
            bytes = bytes[n..];
            at += n;
        }
        return values;
    }

    private string?[] Decode(CacheSection s, int start, int count)
    {
        var codes = Array<int>(s, start, count, 1);
        var vocab = s.Vocabulary ?? [];
        var result = new string?[count];
        for (int i = 0; i < count; i++) result[i] = codes[i] < 0 ? null : vocab[codes[i]];
        return result;
    }

    /// <summary>Texts are variable-length: read from the start of the file, skipping the rows before <paramref name="start"/>.</summary>
    private string?[] Texts(CacheSection s, int start, int count)
    {
        using var stream = new FileStream(Path.Combine(_dir, s.File), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        var result = new string?[count];
        for (int i = 0; i < start + count; i++)
        {
            var t = r.ReadBoolean() ? r.ReadString() : null;
            if (i >= start) result[i - start] = t;
        }
        return result;
    }

    private SafeFileHandle Handle(CacheSection s)
    {
        if (!_open.TryGetValue(s.File, out var h))
            _open[s.File] = h = File.OpenHandle(Path.Combine(_dir, s.File), FileMode.Open, FileAccess.Read, FileShare.Read);
        return h;
    }

    public void Dispose()
    {
        foreach (var h in _open.Values) h.Dispose();
        _open.Clear();
    }
}
