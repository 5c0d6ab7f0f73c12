
namespace Crossfeed.Serving.Tests;

/// <summary>The reference-counted holder: a swap never pulls a model from under a request.</summary>
public sealed class ReloadModelHolderTests
{
    [Fact]
    public void A_replaced_model_is_disposed_only_after_its_last_lease_is_released()
    {
        var first = new StandInRanker(StandInRanker.PodcastTasks);
        var second = new StandInRanker(StandInRanker.PodcastTasks);
        using var holder = new ModelHolder();
        Assert.Null(holder.TryAcquire());
        holder.Swap(first.Served("v1"));
        var lease = holder.TryAcquire()!;
        holder.Swap(second.Served("v2"));

        Assert.False(first.Disposed);
        Assert.Equal("v1", lease.Model.Version);
        using (var next = holder.TryAcquire()!) Assert.Equal("v2", next.Model.Version);
        lease.Dispose();
        Assert.True(first.Disposed);
        lease.Dispose(); // a second release must not release someone else's reference
        Assert.False(second.Disposed);
    }

    [Fact]
    public async Task Under_concurrent_swaps_no_request_sees_a_disposed_model_and_every_replaced_one_is_disposed()
    {
        using var holder = new ModelHolder();
        var rankers = new System.Collections.Concurrent.ConcurrentBag<StandInRanker>();
        StandInRanker Next()
        {
            var r = new StandInRanker(StandInRanker.PodcastTasks);
            rankers.Add(r);
            return r;
        }
        holder.Swap(Next().Served());
        var sawDisposed = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var lease = holder.TryAcquire()!;
                if (((StandInRanker)lease.Model.Ranker).Disposed) Interlocked.Increment(ref sawDisposed);
            }
        })).ToArray();
        for (int i = 0; i < 2000; i++) holder.Swap(Next().Served());
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Equal(0, sawDisposed);
        var current = (StandInRanker)holder.Current!.Ranker;
        Assert.All(rankers.Where(r => r != current), r => Assert.True(r.Disposed));
        Assert.False(current.Disposed);
    }
}
