using Microsoft.Extensions.Hosting;

namespace Crossfeed.Serving;

/// <summary>
/// Loads the first model in the background, so /healthz answers at once and /readyz turns ready after the
/// warm-up. If the first bundle is refused there is nothing to serve: the host stops and <see cref="Failure"/> says why.
/// </summary>
public sealed class ModelStartup(ModelReloader reloader, IHostApplicationLifetime lifetime) : BackgroundService
{
    public string? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var result = await reloader.ReloadAsync("start-up", stoppingToken);
        if (result.Accepted) return;
        Failure = result.Error;
        lifetime.StopApplication();
    }
}
