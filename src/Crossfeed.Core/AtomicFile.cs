namespace Crossfeed.Core;

/// <summary>
/// The one way Crossfeed writes an output: to a temporary name in the same folder (".NAME.GUID.tmp"),
/// then renamed over the final name, so a crash never leaves a half-written file or folder under the
/// final name. Every writer (bundles, checkpoints, preprocessor, scores, reports, results, benchmarks,
/// simulated worlds) goes through here.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path, then renames that file over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = TempName(full);
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            Cleanup(() => File.Delete(tmp));
            throw;
        }
    }

    /// <summary>UTF-8 text (no byte-order mark), flushed to disk before the rename.</summary>
    public static void WriteAllText(string path, string text) => Write(path, tmp =>
    {
        using var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    });

    /// <summary>
    /// Calls <paramref name="fill"/> with an empty temporary folder, then puts it in place of <paramref name="dir"/>:
    /// an existing folder is first renamed aside and deleted only after the new one is in place.
    /// </summary>
    public static void WriteDirectory(string dir, Action<string> fill)
    {
        var full = Path.GetFullPath(dir.TrimEnd(Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = TempName(full);
        try
        {
            Directory.CreateDirectory(tmp);
            fill(tmp);
            if (Directory.Exists(full))
            {
                var old = TempName(full);
                Directory.Move(full, old);
                Directory.Move(tmp, full);
                Cleanup(() => Directory.Delete(old, true));
            }
            else
            {
                Directory.Move(tmp, full);
            }
        }
        catch
        {
            Cleanup(() => { if (Directory.Exists(tmp)) Directory.Delete(tmp, true); });
            throw;
        }
    }

    private static string TempName(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");

    private static void Cleanup(Action delete)
    {
        try
        {
            delete();
        }
        catch (IOException)
        {
            // The original error (or the finished write) matters more than a leftover temporary.
        }
    }
}
