using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crossfeed.Serving;

/// <summary>
/// Reloads when the bundle folder changes. Watches the folder's parent, so a bundle rewritten by rename
/// (as <c>train</c> and <c>calibrate</c> write them) or a <c>current</c> link switched to another folder is
/// seen too; events are debounced so a bundle still being copied is loaded once, after it settles.
/// </summary>
public sealed class BundleWatcher(ServeOptions options, ModelReloader reloader, ILogger<BundleWatcher> log) : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.TrimEndingDirectorySeparator(options.ModelDir);
        var parent = Path.GetDirectoryName(folder);
        if (parent is null || !Directory.Exists(parent)) return Task.CompletedTask;
        var name = Path.GetFileName(folder);
        _debounce = new Timer(_ => _ = ReloadAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(parent)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        void OnChange(string path)
        {
            var relative = Path.GetRelativePath(parent, path);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top == name) _debounce?.Change(options.WatchDebounce, Timeout.InfiniteTimeSpan);
        }
        _watcher.Changed += (_, e) => OnChange(e.FullPath);
        _watcher.Created += (_, e) => OnChange(e.FullPath);
        _watcher.Deleted += (_, e) => OnChange(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            OnChange(e.FullPath);
            OnChange(e.OldFullPath);
        };
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    private async Task ReloadAsync()
    {
        try
        {
            await reloader.ReloadAsync("bundle folder changed");
        }
        catch (Exception e)
        {
            // A timer callback must not throw: that would end the process.
            log.LogError(e, "reload after a bundle change failed");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        _debounce?.Change(Timeout.Infinite, Timeout.Infinite);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
