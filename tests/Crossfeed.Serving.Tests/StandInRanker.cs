using Crossfeed.Core;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving.Tests;

/// <summary>
/// A ranker for tests about the host (limits, overload, validation, reload): a task admits a candidate when
/// the task lists its source; its probability is the candidate's inline feature "p_TASK" (0.5 without one).
/// Optionally slow, or failing, and it remembers what it was asked.
/// </summary>
public sealed class StandInRanker(IReadOnlyList<(string Task, string[] Sources)> tasks) : IRanker, IDisposable
{
    public static readonly IReadOnlyList<(string Task, string[] Sources)> PodcastTasks =
        [("promo_stream", ["promotion"]), ("ad_stream", ["ad"]), ("click", ["promotion", "ad"])];

    private int _calls;

    public TimeSpan Delay { get; set; }
    public Exception? Failure { get; set; }

    /// <summary>When set, scoring waits until it is (a request held in flight for as long as a test needs).</summary>
    public ManualResetEventSlim? Gate { get; set; }
    public RankInput? LastInput { get; private set; }
    public int Calls => Volatile.Read(ref _calls);
    public bool Disposed { get; private set; }

    public RankOutput Score(RankInput input)
    {
        if (Disposed) throw new ObjectDisposedException(nameof(StandInRanker));
        Interlocked.Increment(ref _calls);
        LastInput = input;
        if (Delay > TimeSpan.Zero) Thread.Sleep(Delay);
        Gate?.Wait(TimeSpan.FromSeconds(30));
        if (Failure is not null) throw Failure;
        var scores = input.Candidates.Select((c, i) =>
        {
            if (c.Features.TryGetValue("bid_cpm", out var bid) && bid is string)
                throw new BadInputException($"candidates[{i}].features.bid_cpm: expected a number, got a string");
            var p = tasks.Where(t => t.Sources.Contains(c.Source))
                         .ToDictionary(t => t.Task, t => c.Features.TryGetValue("p_" + t.Task, out var v) && v is double d ? (float)d : 0.5f);
            return new CandidateScores(c.Id, p);
        }).ToArray();
        return new RankOutput(scores, []);
    }

    /// <summary>A served model around this ranker, as the host gets it from a loader.</summary>
    public ServedModel Served(string version = "v1", string name = "stand-in") =>
        new(this, name, version, ["promotion", "ad"], tasks.Select(t => t.Task).ToArray());

    public void Dispose() => Disposed = true;
}
