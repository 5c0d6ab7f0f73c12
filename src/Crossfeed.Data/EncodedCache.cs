using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// The encoded dataset on disk (docs/data.md, "Encoded cache"): the preprocessor fitted on the training split
/// and every split's columns as raw little-endian arrays, written by `crossfeed prepare` into a folder that is
/// filled aside and renamed into place (a killed prepare never leaves a cache under the final name). The cache
/// is keyed by the dataset config (every field, as loaded) and each input file's path, size and modification
/// time: a changed input or config makes it stale, and a stale cache is never used.
/// </summary>
public static class EncodedCache
{
    public const int FormatVersion = 1;
    private const string ManifestFile = "cache.json";
    private const string PreprocessorFile = "preprocessor.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The default cache folder of a dataset: .crossfeed-cache/NAME beside its YAML.</summary>
    public static string DefaultDir(DatasetConfig cfg) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cfg.ConfigPath)) ?? ".", ".crossfeed-cache", cfg.Name);

    /// <summary>
    /// The key of the dataset as it is now, or null with the reason when it cannot be cached (a query input,
    /// whose underlying files are not known).
    /// </summary>
    public static string? Key(DatasetConfig cfg, out string? why)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        var sb = new StringBuilder();
        sb.Append("format ").Append(FormatVersion).Append('\n');
        sb.Append(JsonSerializer.Serialize(cfg with { ConfigPath = "" })).Append('\n');
        foreach (var reader in InputReader.Resolve(cfg))
        {
            if (!File.Exists(reader.Display))
            {
                why = $"{reader.Display} is not a file (a query input cannot be cached)";
                return null;
            }
            var info = new FileInfo(reader.Display);
            sb.Append(info.FullName).Append('\t').Append(info.Length).Append('\t').Append(info.LastWriteTimeUtc.Ticks).Append('\t').Append(reader.Split).Append('\n');
        }
        why = null;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>Writes the dataset into <paramref name="dir"/> under <paramref name="key"/> (atomically: filled aside, then renamed).</summary>
    public static void Write(EncodedDataset data, string dir, string key)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, PreprocessorFile), data.Preprocessor.ToJson());
            foreach (var split in Enum.GetValues<SplitName>()) WriteSplit(data[split], Path.Combine(tmp, SplitFile(split)));
            var r = data.Report;
            var manifest = new Manifest(FormatVersion, key, data.Config.Name, DateTime.UtcNow, r.RowsRead, r.RowsDropped, r.CutPoints.ToArray(),
                r.SplitRules.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value));
            File.WriteAllText(Path.Combine(tmp, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        });
    }

    /// <summary>
    /// The cached dataset when <paramref name="dir"/> holds a complete cache whose key is <paramref name="key"/>;
    /// otherwise null with the reason (no cache, another format, stale).
    /// </summary>
    public static EncodedDataset? TryLoad(DatasetConfig cfg, string dir, string key, out string why)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (Current(dir, key, out why) is not { } m) return null;
        var pre = ReadPreprocessor(dir);
        var splits = Enum.GetValues<SplitName>().Select(s => ReadSplit(Path.Combine(dir, SplitFile(s)), s)).ToArray();
        var rules = m.SplitRules.ToDictionary(kv => Enum.Parse<SplitName>(kv.Key), kv => kv.Value);
        var report = new LoadReport(m.RowsRead, m.RowsDropped, splits[0].Count, splits[1].Count, splits[2].Count, m.CutPoints, rules, clock.Elapsed);
        return new EncodedDataset(cfg, pre, splits[0], splits[1], splits[2], report);
    }

    /// <summary>The dataset from its default cache folder when that cache is current; otherwise null and why (no cache, stale, not cacheable).</summary>
    public static EncodedDataset? TryLoad(DatasetConfig cfg, out string why)
    {
        if (Key(cfg, out var notCacheable) is not { } key)
        {
            why = notCacheable!;
            return null;
        }
        return TryLoad(cfg, DefaultDir(cfg), key, out why);
    }

    /// <summary>
    /// One split from the default cache (only that split's file is read), when the cache is current and was
    /// encoded with exactly <paramref name="pre"/> (a bundle's vocabularies).
    /// </summary>
    public static EncodedSplit? TryLoadSplit(DatasetConfig cfg, Preprocessor pre, SplitName split, out string why)
    {
        ArgumentNullException.ThrowIfNull(pre);
        if (Key(cfg, out var notCacheable) is not { } key)
        {
            why = notCacheable!;
            return null;
        }
        var dir = DefaultDir(cfg);
        if (Current(dir, key, out why) is null) return null;
        if (ReadPreprocessor(dir).ToJson() != pre.ToJson())
        {
            why = $"the cache at {dir} was encoded with other vocabularies than the bundle's";
            return null;
        }
        return ReadSplit(Path.Combine(dir, SplitFile(split)), split);
    }

    /// <summary>The manifest of a complete cache in <paramref name="dir"/> whose key is <paramref name="key"/>; otherwise null and why.</summary>
    private static Manifest? Current(string dir, string key, out string why)
    {
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            why = $"no cache at {dir}";
            return null;
        }
        Manifest? m;
        try
        {
            m = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), Json);
        }
        catch (JsonException e)
        {
            why = $"{manifestPath} is unreadable ({e.Message})";
            return null;
        }
        if (m is null || m.FormatVersion != FormatVersion)
        {
            why = $"{dir} has cache format {m?.FormatVersion}, this build reads {FormatVersion}";
            return null;
        }
        if (m.Key != key)
        {
            why = $"{dir} is stale: the dataset config or an input file changed since `prepare` (size or modification time)";
            return null;
        }
        why = $"from the cache {dir} (prepared {m.Created:yyyy-MM-dd HH:mm} UTC)";
        return m;
    }

    private static Preprocessor ReadPreprocessor(string dir)
    {
        var path = Path.Combine(dir, PreprocessorFile);
        return Preprocessor.FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Whether a message of <see cref="TryLoad(DatasetConfig, out string)"/> is worth telling: a cache exists but cannot be used.</summary>
    public static bool IsNews(string why) => !why.StartsWith("no cache at ", StringComparison.Ordinal) && !why.Contains("cannot be cached", StringComparison.Ordinal);

    private static string SplitFile(SplitName s) => s.ToString().ToLowerInvariant() + ".bin";

    private sealed record Manifest(int FormatVersion, string Key, string Dataset, DateTime Created, long RowsRead, long RowsDropped,
        double[] CutPoints, Dictionary<string, string> SplitRules);

    // A split file: "CFCACHE1", the row count, then sections (kind, name, array) until the end.
    private static readonly byte[] Magic = "CFCACHE1"u8.ToArray();

    private enum Kind : byte
    {
        Source, Ids, ListOffsets, Dense, Piecewise, Labels, Truth, Analysis, AnalysisText, Keys,
    }

    private static void WriteSplit(EncodedSplit s, string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Magic);
        w.Write(s.Count);
        void Section<T>(Kind kind, string name, T[] values) where T : unmanaged
        {
            w.Write((byte)kind);
            w.Write(name);
            w.Write(values.Length);
            w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        void Texts(Kind kind, string name, string?[] values)
        {
            w.Write((byte)kind);
            w.Write(name);
            w.Write(values.Length);
            foreach (var v in values)
            {
                w.Write(v is not null);
                if (v is not null) w.Write(v);
            }
        }
        Section(Kind.Source, "", s.Source);
        foreach (var (k, v) in s.Ids) Section(Kind.Ids, k, v);
        foreach (var (k, v) in s.ListOffsets) Section(Kind.ListOffsets, k, v);
        foreach (var (k, v) in s.Dense) Section(Kind.Dense, k, v);
        foreach (var (k, v) in s.Piecewise) Section(Kind.Piecewise, k, v);
        foreach (var (k, v) in s.Labels) Section(Kind.Labels, k, v);
        foreach (var (k, v) in s.Truth) Section(Kind.Truth, k, v);
        foreach (var (k, v) in s.Analysis) Section(Kind.Analysis, k, v);
        foreach (var (k, v) in s.AnalysisText) Texts(Kind.AnalysisText, k, v);
        foreach (var (k, v) in s.Keys) Texts(Kind.Keys, k, v);
        stream.Flush(flushToDisk: true);
    }

    private static EncodedSplit ReadSplit(string path, SplitName name)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new BadInputException($"{path}: not a Crossfeed cache file (run `crossfeed prepare` again)");
        int count = r.ReadInt32();
        int[] source = [];
        var ids = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var offsets = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var dense = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var piecewise = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var truth = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var analysis = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var analysisText = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var keys = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        T[] Array<T>() where T : unmanaged
        {
            var a = new T[r.ReadInt32()];
            stream.ReadExactly(MemoryMarshal.AsBytes(a.AsSpan()));
            return a;
        }
        string?[] Texts()
        {
            var a = new string?[r.ReadInt32()];
            for (int i = 0; i < a.Length; i++) a[i] = r.ReadBoolean() ? r.ReadString() : null;
            return a;
        }
        while (stream.Position < stream.Length)
        {
            var kind = (Kind)r.ReadByte();
            var key = r.ReadString();
            switch (kind)
            {
                case Kind.Source: source = Array<int>(); break;
                case Kind.Ids: ids[key] = Array<int>(); break;
                case Kind.ListOffsets: offsets[key] = Array<int>(); break;
                case Kind.Dense: dense[key] = Array<float>(); break;
                case Kind.Piecewise: piecewise[key] = Array<float>(); break;
                case Kind.Labels: labels[key] = Array<float>(); break;
                case Kind.Truth: truth[key] = Array<float>(); break;
                case Kind.Analysis: analysis[key] = Array<double>(); break;
                case Kind.AnalysisText: analysisText[key] = Texts(); break;
                case Kind.Keys: keys[key] = Texts(); break;
                default: throw new BadInputException($"{path}: unknown section {(byte)kind} (run `crossfeed prepare` again)");
            }
        }
        return new EncodedSplit
        {
            Name = name, Count = count, Source = source, Ids = ids, ListOffsets = offsets, Dense = dense, Piecewise = piecewise,
            Labels = labels, Truth = truth, Analysis = analysis, AnalysisText = analysisText, Keys = keys,
        };
    }
}
