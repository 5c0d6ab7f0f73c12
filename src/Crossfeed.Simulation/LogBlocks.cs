using System.Collections.Concurrent;

namespace Crossfeed.Simulation;

/// <summary>
/// The last pass over the log: fills blocks with the next run of whole days, with each row's true probabilities and
/// labels. Days are grouped so that a block holds at least one Parquet row group (small worlds do not write a row
/// group per day) and never straddles a shard; a large world's block is one day. Two blocks take turns: the next is
/// filled on another thread while the caller writes the one <see cref="Next"/> gave, so generation and writing overlap.
/// </summary>
internal sealed class LogBlocks : IDisposable
{
    private const ulong LabelStream = 13;

    private readonly World _world;
    private readonly long[] _dayStart;
    private readonly List<(int From, int To)> _days;
    private readonly LogGenerator _generator;
    private readonly Action<ImpressionLog>? _filled;
    private readonly Action<double>? _progress;
    private readonly CancellationToken _ct;
    private readonly CancellationTokenSource _stop;
    private readonly BlockingCollection<ImpressionLog> _free = new(2);
    private readonly BlockingCollection<ImpressionLog> _full = new(1);
    private Task? _producer;

    /// <param name="world">The world, with its intercepts solved.</param>
    /// <param name="dayStart">Rows of day d are [dayStart[d], dayStart[d + 1]) of the log.</param>
    /// <param name="shardDays">The first day of each shard, then the number of days; a block never crosses one.</param>
    /// <param name="filled">Called with each block once it is filled (the summary).</param>
    /// <param name="progress">Gets the share of the log's rows filled so far.</param>
    /// <param name="ct">Stops filling.</param>
    public LogBlocks(World world, long[] dayStart, IReadOnlyList<int> shardDays, Action<ImpressionLog>? filled, Action<double>? progress, CancellationToken ct)
    {
        _world = world;
        _dayStart = dayStart;
        _filled = filled;
        _progress = progress;
        _ct = ct;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _generator = new LogGenerator(world, dayStart);
        _days = GroupDays(dayStart, shardDays, ImpressionWriter.RowGroupRows);
        int capacity = (int)_days.Max(b => dayStart[b.To] - dayStart[b.From]);
        _free.Add(new ImpressionLog(capacity));
        _free.Add(new ImpressionLog(capacity));
    }

    /// <summary>
    /// Consecutive days [From, To) grouped into blocks: a block closes once it holds <paramref name="minRows"/> rows, at
    /// a shard's first day and at the end, so it holds fewer than minRows plus its last day's rows.
    /// </summary>
    internal static List<(int From, int To)> GroupDays(IReadOnlyList<long> dayStart, IReadOnlyList<int> shardDays, int minRows)
    {
        var shardStart = new HashSet<int>(shardDays);
        var blocks = new List<(int From, int To)>();
        int days = dayStart.Count - 1, from = 0;
        for (int d = 1; d <= days; d++)
            if (d == days || shardStart.Contains(d) || dayStart[d] - dayStart[from] >= minRows)
            {
                blocks.Add((from, d));
                from = d;
            }
        return blocks;
    }

    /// <summary>The block <see cref="Next"/> gave last (the writer's columns read it); valid until the next call.</summary>
    public ImpressionLog Block { get; private set; } = null!;

    /// <summary>Puts the next filled block in <see cref="Block"/>; false after the last. A failure while filling is thrown here.</summary>
    public bool Next()
    {
        _producer ??= Task.Run(Fill);
        if (Block is not null)
        {
            _free.Add(Block); // the caller is done with it: it is filled again while the caller writes the next
            Block = null!;
        }
        if (_full.TryTake(out var block, Timeout.Infinite, _ct))
        {
            Block = block;
            return true;
        }
        _producer.GetAwaiter().GetResult(); // the filling thread's failure or cancellation
        return false;
    }

    /// <summary>Stops the filling thread (when the caller gave up before the last block) and waits for it.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _producer?.Wait();
        }
        catch (AggregateException)
        {
            // Already thrown to the caller by Next, or a cancellation the caller asked for.
        }
        _stop.Dispose();
        _free.Dispose();
        _full.Dispose();
    }

    /// <summary>The filling thread: the blocks in order, each handed over once its rows, probabilities and labels are drawn.</summary>
    private void Fill()
    {
        try
        {
            foreach (var (from, to) in _days)
            {
                var block = _free.Take(_stop.Token);
                block.Reset(_dayStart[from], from);
                for (int d = from; d < to; d++) _generator.AppendDay(block, d, full: true, _stop.Token);
                DrawOutcomes(block);
                _filled?.Invoke(block);
                _progress?.Invoke((double)_dayStart[to] / _dayStart[^1]);
                _full.Add(block, _stop.Token);
            }
        }
        finally
        {
            _full.CompleteAdding();
        }
    }

    /// <summary>
    /// Each row's true probabilities and its labels. The label draws come from one stream per chunk of
    /// <see cref="Simulator.ChunkRows"/> rows of the log (four per row), so a chunk that began in the block before is
    /// advanced past that block's rows first.
    /// </summary>
    private void DrawOutcomes(ImpressionLog log)
    {
        var world = _world;
        var c = world.Config;
        var slots = world.Coefficients.Slots;
        long first = log.First, end = first + log.Count;
        long chunkFrom = first / Simulator.ChunkRows, chunkTo = (end - 1) / Simulator.ChunkRows + 1;
        Parallel.For(chunkFrom, chunkTo, new ParallelOptions { CancellationToken = _stop.Token }, k =>
        {
            Span<double> z = stackalloc double[4];
            var rng = new Rng(c.Seed, Rng.Stream(LabelStream, k));
            long chunkStart = k * Simulator.ChunkRows;
            long a = Math.Max(first, chunkStart), b = Math.Min(end, chunkStart + Simulator.ChunkRows);
            for (long skip = 4 * (a - chunkStart); skip > 0; skip--) rng.NextULong();
            for (int i = (int)(a - first); i < (int)(b - first); i++)
            {
                world.Offsets(log.User[i], log.Show[i], log.Slot[i], log.Hour[i], log.Session[i], log.Creative[i], log.Listening[i], log.Exposures[i], z);
                var source = slots[log.Slot[i]].Source;
                for (int t = 0; t < 4; t++)
                {
                    double p = world.Probability((int)source, t, z[t]);
                    double u = rng.NextDouble();
                    log.P[t][i] = p;
                    log.Label[t][i] = Simulator.Observable(c, source, (Outcome)t, log.Day[i]) ? (sbyte)(u < p ? 1 : 0) : (sbyte)-1;
                }
            }
        });
    }
}
