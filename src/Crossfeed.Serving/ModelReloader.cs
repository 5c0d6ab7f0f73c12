using Crossfeed.Training.Ranking;
using Microsoft.Extensions.Logging;

namespace Crossfeed.Serving;

/// <summary>
/// Loads the bundle folder, verifies it (checksums and schema in the loader, the objective's tasks, then a
/// warm-up request through its ranker) and only then swaps it in. A bundle that fails any step is refused,
/// logged and counted; the model already serving keeps answering. One load at a time.
/// </summary>
public sealed class ModelReloader(ModelHolder holder, ServeOptions options, Func<string, ServedModel> load, ServingMetrics metrics, ILogger<ModelReloader> log)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ReloadResult> ReloadAsync(string reason, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ServedModel? next = null;
            try
            {
                next = await Task.Run(() => load(options.ModelDir), cancellationToken);
                options.Objective.CheckAgainst(next);
                WarmUp(next);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                next?.Dispose();
                metrics.Reloads.WithLabels("refused").Inc();
                var current = holder.Current;
                log.LogError("model load ({Reason}) refused: {Error}; still serving {Version}", reason, e.Message, current?.Version ?? "nothing");
                return new ReloadResult(false, current?.Name, current?.Version, e.Message);
            }
            holder.Swap(next);
            metrics.Serving(next);
            metrics.Reloads.WithLabels("accepted").Inc();
            log.LogInformation("model load ({Reason}) accepted: serving {Name} {Version}", reason, next.Name, next.Version);
            return new ReloadResult(true, next.Name, next.Version, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One candidate per source with no features: every lookup path runs once before real traffic does.</summary>
    private static void WarmUp(ServedModel model)
    {
        var none = new Dictionary<string, object?>();
        var candidates = model.Sources.Select(s => new RankCandidate($"warm-up-{s}", s, none)).ToArray();
        var output = model.Ranker.Score(new RankInput(none, none, candidates));
        if (output.Candidates.Count != candidates.Length)
            throw new InvalidOperationException($"warm-up: the ranker returned {output.Candidates.Count} scores for {candidates.Length} candidates");
    }
}
