using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Appends encoded chunks of one split to its cache folder, one file per column (<see cref="CacheSection"/>),
/// so a split of any size is written with the memory of one chunk. <see cref="Finish"/> flushes the files and
/// writes the folder's manifest (sections.json) last.
/// </summary>
internal sealed class CachedSplitWriter : IDisposable
{
    internal const string ManifestFile = "sections.json";
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string _dir;
    private readonly List<(CacheSection Section, FileStream Stream)> _files = [];
    private readonly Dictionary<string, long> _listItems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _vocabulary = new(StringComparer.Ordinal);
    private BinaryWriter[] _keyWriters = [];
    private bool _started;

    public CachedSplitWriter(string dir)
    {
        _dir = dir;
        Directory.CreateDirectory(dir);
    }

    public long Count { get; private set; }

    public void Append(EncodedSplit chunk)
    {
        if (!_started) Start(chunk);
        int k = 0;
        void Raw<T>(ReadOnlySpan<T> values) where T : unmanaged => _files[k++].Stream.Write(MemoryMarshal.AsBytes(values));
        Raw<int>(chunk.Source);
        foreach (var (_, ids) in chunk.Ids) Raw<int>(ids);
        foreach (var (name, offsets) in chunk.ListOffsets)
        {
            long items = _listItems[name];
            var rebased = new long[chunk.Count];
            for (int i = 0; i < rebased.Length; i++) rebased[i] = items + offsets[i + 1];
            Raw<long>(rebased);
            _listItems[name] = items + offsets[chunk.Count];
        }
        foreach (var (_, v) in chunk.Dense) Raw<float>(v);
        foreach (var (_, v) in chunk.Piecewise) Raw<float>(v);
        foreach (var (_, v) in chunk.Labels) Raw<float>(v);
        foreach (var (_, v) in chunk.Truth) Raw<float>(v);
        foreach (var (_, v) in chunk.Analysis) Raw<double>(v);
        foreach (var (role, texts) in chunk.AnalysisText)
        {
            var vocab = _vocabulary[role];
            var codes = new int[texts.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                if (texts[i] is not { } t)
                {
                    codes[i] = -1;
                    continue;
                }
                if (!vocab.TryGetValue(t, out codes[i])) vocab[t] = codes[i] = vocab.Count;
            }
            Raw<int>(codes);
        }
        int w = 0;
        foreach (var (_, texts) in chunk.Keys)
        {
            var writer = _keyWriters[w++];
            foreach (var t in texts)
            {
                writer.Write(t is not null);
                if (t is not null) writer.Write(t);
            }
            k++;
        }
        if (chunk.Time is { } time) Raw<double>(time);
        Count += chunk.Count;
    }

    private void Start(EncodedSplit chunk)
    {
        _started = true;
        void Add(CacheSectionKind kind, string name)
        {
            var section = new CacheSection(kind, name, $"{_files.Count:D3}.bin");
            _files.Add((section, new FileStream(Path.Combine(_dir, section.File), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20)));
        }
        Add(CacheSectionKind.Source, "");
        foreach (var name in chunk.Ids.Keys) Add(CacheSectionKind.Ids, name);
        foreach (var name in chunk.ListOffsets.Keys)
        {
            Add(CacheSectionKind.ListOffsets, name);
            _files[^1].Stream.Write(MemoryMarshal.AsBytes<long>([0L]));
            _listItems[name] = 0;
        }
        foreach (var name in chunk.Dense.Keys) Add(CacheSectionKind.Dense, name);
        foreach (var name in chunk.Piecewise.Keys) Add(CacheSectionKind.Piecewise, name);
        foreach (var name in chunk.Labels.Keys) Add(CacheSectionKind.Labels, name);
        foreach (var name in chunk.Truth.Keys) Add(CacheSectionKind.Truth, name);
        foreach (var name in chunk.Analysis.Keys) Add(CacheSectionKind.Analysis, name);
        foreach (var name in chunk.AnalysisText.Keys)
        {
            Add(CacheSectionKind.AnalysisText, name);
            _vocabulary[name] = new Dictionary<string, int>(StringComparer.Ordinal);
        }
        var keyWriters = new List<BinaryWriter>();
        foreach (var name in chunk.Keys.Keys)
        {
            Add(CacheSectionKind.Keys, name);
            keyWriters.Add(new BinaryWriter(_files[^1].Stream, Encoding.UTF8, leaveOpen: true));
        }
        _keyWriters = keyWriters.ToArray();
        if (chunk.Time is not null) Add(CacheSectionKind.Time, "");
    }

    /// <summary>Flushes every file to disk and writes the manifest; the split is complete only then.</summary>
    public void Finish(SplitName name)
    {
        foreach (var w in _keyWriters) w.Flush();
        foreach (var (_, stream) in _files) stream.Flush(flushToDisk: true);
        var sections = _files.Select(f => f.Section.Kind == CacheSectionKind.AnalysisText
            ? f.Section with { Vocabulary = _vocabulary[f.Section.Name].OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray() }
            : f.Section).ToArray();
        if (Count > int.MaxValue - 1) throw new BadInputException($"split '{name}' has {Count:N0} rows; a cached split holds at most {int.MaxValue - 1:N0}");
        File.WriteAllText(Path.Combine(_dir, ManifestFile), JsonSerializer.Serialize(new CachedSplitManifest(name, (int)Count, sections), Json));
    }

    public void Dispose()
    {
        foreach (var w in _keyWriters) w.Dispose();
        foreach (var (_, stream) in _files) stream.Dispose();
    }
}

/// <summary>The manifest of a cached split's folder: its name, row count and files.</summary>
internal sealed record CachedSplitManifest(SplitName Name, int Count, CacheSection[] Sections);
