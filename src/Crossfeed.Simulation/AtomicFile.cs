namespace Crossfeed.Simulation;

/// <summary>Writes a file under a temporary name in the same folder, then renames it over the final name.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(tmp);
            }
            catch (IOException)
            {
                // The original error matters more than a leftover temporary file.
            }
            throw;
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, tmp => File.WriteAllText(tmp, text));
}
