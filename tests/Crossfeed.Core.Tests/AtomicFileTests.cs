namespace Crossfeed.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crossfeed-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_write_that_fails_midway_keeps_the_old_file_and_leaves_no_temporary()
    {
        var path = Path.Combine(_dir, "metrics.json");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, tmp =>
        {
            File.WriteAllText(tmp, "half of the new cont");
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_finished_write_replaces_the_file()
    {
        var path = Path.Combine(_dir, "sub", "scores.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_folder_is_swapped_whole_and_a_failed_fill_keeps_the_old_folder()
    {
        var bundle = Path.Combine(_dir, "bundle");
        AtomicFile.WriteDirectory(bundle, tmp => File.WriteAllText(Path.Combine(tmp, "a.bin"), "v1"));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteDirectory(bundle, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "a.bin"), "v2");
            throw new InvalidOperationException("crash while writing weights");
        }));
        Assert.Equal("v1", File.ReadAllText(Path.Combine(bundle, "a.bin")));

        AtomicFile.WriteDirectory(bundle, tmp => File.WriteAllText(Path.Combine(tmp, "b.bin"), "v3"));
        Assert.Equal([Path.Combine(bundle, "b.bin")], Directory.GetFiles(bundle));
        Assert.Equal([bundle], Directory.GetFileSystemEntries(_dir));
    }
}
