using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// The encoded dataset on disk (docs/data.md, "Encoded cache"): the preprocessor fitted on the training split
/// and every split's columns as raw little-endian arrays, one file per column (<see cref="CachedSplit"/>), written
/// chunk by chunk by `crossfeed prepare` into a folder that is filled aside and renamed into place (a killed prepare never leaves a cache under the final name). The cache
/// is keyed by the dataset config (every field, as loaded) and each input file's path, size and modification
/// time: a changed input or config makes it stale, and a stale cache is never used.
/// </summary>
public static class EncodedCache
{
    public const int FormatVersion = 2;
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

    /// <summary>Writes an encoded dataset into <paramref name="dir"/> under <paramref name="key"/> (atomically: filled aside, then renamed).</summary>
    public static void Write(EncodedDataset data, string dir, string key)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, PreprocessorFile), data.Preprocessor.ToJson());
            foreach (var split in Enum.GetValues<SplitName>()) CachedSplit.Write(data[split], Path.Combine(tmp, SplitDir(split))).Dispose();
            WriteManifest(tmp, key, data.Config, data.Report);
        });
    }

    /// <summary>
    /// Reads, fits and encodes the dataset straight into <paramref name="dir"/> under <paramref name="key"/>, chunk by
    /// chunk, so memory holds one chunk per split whatever the dataset's size (the folder is filled aside, then renamed).
    /// </summary>
    public static LoadReport Prepare(DatasetConfig cfg, string dir, string key, IProgress<LoadProgress>? progress = null, CancellationToken ct = default,
                                     int chunkRows = ChunkRows)
    {
        LoadReport? report = null;
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            var writers = Enum.GetValues<SplitName>().Select(s => new CachedSplitWriter(Path.Combine(tmp, SplitDir(s)))).ToArray();
            try
            {
                report = DatasetLoader.EncodeInChunks(cfg,
                    pre => File.WriteAllText(Path.Combine(tmp, PreprocessorFile), pre.ToJson()),
                    (split, chunk) => writers[(int)split].Append(chunk), chunkRows, progress, ct);
                foreach (var s in Enum.GetValues<SplitName>()) writers[(int)s].Finish(s);
            }
            finally
            {
                foreach (var w in writers) w.Dispose();
            }
            WriteManifest(tmp, key, cfg, report!);
        });
        return report!;
    }

    /// <summary>Rows per chunk while preparing.</summary>
    public const int ChunkRows = 1 << 16;

    private static void WriteManifest(string dir, string key, DatasetConfig cfg, LoadReport r)
    {
        var manifest = new Manifest(FormatVersion, key, cfg.Name, DateTime.UtcNow, r.RowsRead, r.RowsDropped, r.CutPoints.ToArray(),
            r.SplitRules.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value));
        File.WriteAllText(Path.Combine(dir, ManifestFile), JsonSerializer.Serialize(manifest, Json));
    }

    /// <summary>
    /// The cached dataset when <paramref name="dir"/> holds a complete cache whose key is <paramref name="key"/>;
    /// otherwise null with the reason (no cache, another format, stale).
    /// </summary>
    public static EncodedDataset? TryLoad(DatasetConfig cfg, string dir, string key, out string why)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return Current(dir, key, out why) is { } m ? Load(cfg, dir, m, clock) : null;
    }

    /// <summary>The dataset from its default cache folder when that cache is current; otherwise null and why (no cache, stale, not cacheable).</summary>
    public static EncodedDataset? TryLoad(DatasetConfig cfg, out string why)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return CurrentDefault(cfg, out why) is { } c ? Load(cfg, c.Dir, c.Manifest, clock) : null;
    }

    private static EncodedDataset Load(DatasetConfig cfg, string dir, Manifest m, System.Diagnostics.Stopwatch clock)
    {
        var pre = ReadPreprocessor(dir);
        var splits = Enum.GetValues<SplitName>().Select(s => ReadSplit(dir, s)).ToArray();
        return new EncodedDataset(cfg, pre, splits[0], splits[1], splits[2], Report(m, splits[0].Count, splits[1].Count, splits[2].Count, clock.Elapsed));
    }

    /// <summary>
    /// The default cache opened for reading by row range (training out of core): its preprocessor and report,
    /// when the cache is current; otherwise null and why. Splits are opened with <see cref="OpenedCache.Split"/>.
    /// </summary>
    public static OpenedCache? TryOpen(DatasetConfig cfg, out string why)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (CurrentDefault(cfg, out why) is not var (dir, m)) return null;
        int Rows(SplitName s)
        {
            using var split = CachedSplit.Open(Path.Combine(dir, SplitDir(s)));
            return split.Count;
        }
        return new OpenedCache(dir, ReadPreprocessor(dir), Report(m, Rows(SplitName.Train), Rows(SplitName.Val), Rows(SplitName.Test), clock.Elapsed));
    }

    /// <summary>
    /// One split from the default cache (only that split's files are read), when the cache is current and was
    /// encoded with exactly <paramref name="pre"/> (a bundle's vocabularies).
    /// </summary>
    public static EncodedSplit? TryLoadSplit(DatasetConfig cfg, Preprocessor pre, SplitName split, out string why)
    {
        ArgumentNullException.ThrowIfNull(pre);
        if (CurrentDefault(cfg, out why) is not var (dir, _)) return null;
        if (ReadPreprocessor(dir).ToJson() != pre.ToJson())
        {
            why = $"the cache at {dir} was encoded with other vocabularies than the bundle's";
            return null;
        }
        return ReadSplit(dir, split);
    }

    /// <summary>The folder of a split inside a cache folder.</summary>
    public static string SplitDir(SplitName s) => s.ToString().ToLowerInvariant();

    private static EncodedSplit ReadSplit(string dir, SplitName s)
    {
        using var split = CachedSplit.Open(Path.Combine(dir, SplitDir(s)));
        return split.ReadAll();
    }

    private static LoadReport Report(Manifest m, int train, int val, int test, TimeSpan elapsed) =>
        new(m.RowsRead, m.RowsDropped, train, val, test, m.CutPoints, m.SplitRules.ToDictionary(kv => Enum.Parse<SplitName>(kv.Key), kv => kv.Value), elapsed);

    /// <summary>The default cache folder and its manifest when it holds a current cache; otherwise null and why.</summary>
    private static (string Dir, Manifest Manifest)? CurrentDefault(DatasetConfig cfg, out string why)
    {
        if (Key(cfg, out var notCacheable) is not { } key)
        {
            why = notCacheable!;
            return null;
        }
        var dir = DefaultDir(cfg);
        return Current(dir, key, out why) is { } m ? (dir, m) : null;
    }

    /// <summary>The bytes of every file under a cache folder (or one split's folder).</summary>
    public static long SizeOnDisk(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

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

    private sealed record Manifest(int FormatVersion, string Key, string Dataset, DateTime Created, long RowsRead, long RowsDropped,
        double[] CutPoints, Dictionary<string, string> SplitRules);
}
