using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Training.Ranking;

/// <summary>
/// The encoder output of candidates seen before (their content and creative columns, one row each) with the
/// fallback lines their values gave, so a candidate that comes again (an ad server re-ranks the same inventory
/// for every listener) is neither encoded nor looked up again. Rows live in one preallocated tensor
/// [<see cref="Capacity"/>, width] (no per-request copies through managed arrays); when every slot is taken the
/// cache is emptied and refills from the next requests. Thread-safe: a request reads its rows under a read lock,
/// emptying takes the write lock, so a slot is never reused while a request still reads it. Belongs to one
/// model (a reloaded model gets a new ranker and an empty cache).
/// </summary>
public sealed class CandidateCache : IDisposable
{
    private readonly ConcurrentDictionary<CandidateKey, int> _slots = new();
    private readonly string[][] _fallbacks;
    private readonly Tensor _rows;
    private readonly ReaderWriterLockSlim _gate = new();
    private int _next;
    private long _hits;
    private long _misses;

    public CandidateCache(int capacity, long width, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _fallbacks = new string[capacity][];
        _rows = torch.zeros(capacity, width, device: device).DetachFromDisposeScope(); // lives as long as the cache, whatever scope made it
    }

    public int Capacity { get; }

    public int Count => _slots.Count;

    /// <summary>Candidates answered from the cache since it was made.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Candidates encoded because the cache did not hold them (or their values could not be compared).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// The encoder output rows [N, width] of <paramref name="keys"/>: cached rows where held, the others from
    /// <paramref name="encode"/> (given the positions it must encode, in order; it adds their fallback lines to the
    /// set it is given), which are then cached. Fallback lines of cached candidates go to <paramref name="fallbacks"/>;
    /// <paramref name="cached"/> says how many rows came from the cache.
    /// </summary>
    internal Tensor Rows(CandidateKey?[] keys, ISet<string> fallbacks, Func<int[], ISet<string>, Tensor> encode, Func<int, string[]> ownFallbacks, out int cached)
    {
        var hits = new List<(int Position, int Slot)>();
        var misses = new List<int>();
        _gate.EnterReadLock();
        try
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] is { } key && _slots.TryGetValue(key, out var slot))
                {
                    hits.Add((i, slot));
                    fallbacks.UnionWith(_fallbacks[slot]);
                }
                else misses.Add(i);
            }
            cached = hits.Count;
            Interlocked.Add(ref _hits, hits.Count);
            Interlocked.Add(ref _misses, misses.Count);
            var result = torch.empty(keys.Length, _rows.shape[1], device: _rows.device);
            if (hits.Count > 0)
            {
                using var at = torch.tensor(hits.Select(h => (long)h.Position).ToArray(), device: _rows.device);
                using var slots = torch.tensor(hits.Select(h => (long)h.Slot).ToArray(), device: _rows.device);
                using var held = _rows.index_select(0, slots);
                result.index_copy_(0, at, held);
            }
            if (misses.Count == 0) return result;
            var missed = misses.ToArray();
            var found = new HashSet<string>(StringComparer.Ordinal);
            using var encoded = encode(missed, found);
            using (var at = torch.tensor(missed.Select(i => (long)i).ToArray(), device: _rows.device)) result.index_copy_(0, at, encoded);
            fallbacks.UnionWith(found);
            Store(keys, missed, encoded, found.Count == 0 ? null : ownFallbacks);
            return result;
        }
        finally
        {
            if (_gate.IsReadLockHeld) _gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Caches the encoded rows of the missed keys. Called holding the read lock: slots come from a shared counter, so
    /// requests write disjoint slots side by side. When the slots run out, the read lock is traded for the write lock,
    /// and emptying, the new slots and their rows and keys are all done under it, so no request can empty the cache
    /// again (and reuse those slots) before they are published.
    /// </summary>
    private void Store(CandidateKey?[] keys, int[] missed, Tensor encoded, Func<int, string[]>? ownFallbacks)
    {
        var fresh = Enumerable.Range(0, missed.Length).Where(m => keys[missed[m]] is not null).ToArray();
        if (fresh.Length == 0 || fresh.Length > Capacity) return;
        int first = Interlocked.Add(ref _next, fresh.Length) - fresh.Length;
        if (first + fresh.Length <= Capacity)
        {
            Write(keys, missed, fresh, first, encoded, ownFallbacks);
            return;
        }
        _gate.ExitReadLock();
        _gate.EnterWriteLock();
        try
        {
            // Another request may have emptied it meanwhile; either way no request holds a slot now.
            if (_next > Capacity - fresh.Length)
            {
                _slots.Clear();
                _next = 0;
            }
            first = _next;
            _next += fresh.Length;
            Write(keys, missed, fresh, first, encoded, ownFallbacks);
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    private void Write(CandidateKey?[] keys, int[] missed, int[] fresh, int first, Tensor encoded, Func<int, string[]>? ownFallbacks)
    {
        using var rows = torch.tensor(fresh.Select(m => (long)m).ToArray(), device: _rows.device);
        using var slots = torch.arange(first, first + fresh.Length, dtype: ScalarType.Int64, device: _rows.device);
        using (var picked = encoded.index_select(0, rows)) _rows.index_copy_(0, slots, picked);
        for (int k = 0; k < fresh.Length; k++)
        {
            int m = fresh[k];
            // The lines each candidate gave: only worked out (one candidate at a time) when the batch gave any.
            _fallbacks[first + k] = ownFallbacks is null ? [] : ownFallbacks(missed[m]);
            // Published after its row and lines are written, so a reader never sees a slot half written.
            _slots[keys[missed[m]]!] = first + k;
        }
    }

    public void Dispose()
    {
        _rows.Dispose();
        _gate.Dispose();
    }
}
