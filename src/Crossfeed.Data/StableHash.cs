using System.Globalization;
using System.Text;

namespace Crossfeed.Data;

/// <summary>
/// A hash that never changes between runs, machines or .NET versions (unlike string.GetHashCode), so
/// hashed ids stored in a bundle stay valid: FNV-1a 64 over the UTF-8 bytes of the canonical key (an
/// integer's invariant decimal text), then SplitMix64's finaliser to spread the low bits.
/// </summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(long value)
    {
        Span<byte> buf = stackalloc byte[24];
        value.TryFormat(buf, out int n, default, CultureInfo.InvariantCulture);
        return Mix(Fnv(buf[..n]));
    }

    public static ulong Of(string value)
    {
        ulong h = Offset;
        foreach (char c in value)
        {
            if (c >= 0x80) return Mix(Fnv(Encoding.UTF8.GetBytes(value)));
            h = (h ^ c) * Prime;
        }
        return Mix(h);
    }

    /// <summary>A bucket in [0, buckets).</summary>
    public static int Bucket(ulong hash, int buckets) => (int)(hash % (ulong)buckets);

    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        ulong h = Offset;
        foreach (byte b in bytes) h = (h ^ b) * Prime;
        return h;
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>SplitMix64: a tiny, fast generator whose sequence is fixed by its seed on every platform.</summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = (ulong)seed ^ 0x9E3779B97F4A7C15UL;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Mix(_state);
    }

    /// <summary>Uniform in [0, n) without modulo bias (Lemire).</summary>
    public int NextInt(int n)
    {
        ulong m = (ulong)(uint)(Next() >> 32) * (uint)n;
        uint low = (uint)m;
        if (low < (uint)n)
        {
            uint t = (uint)(-n) % (uint)n;
            while (low < t)
            {
                m = (ulong)(uint)(Next() >> 32) * (uint)n;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>An append-only array that doubles when full. ToArray hands over the array itself when it is exactly full (no copy), so a buffer sized to the row count never copies.</summary>
internal sealed class GrowBuffer<T>
{
    private readonly int _initial;
    private T[] _items;

    public GrowBuffer(int capacity = 1024)
    {
        _initial = Math.Max(16, capacity);
        _items = [];
    }

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length) Grow(Count + 1);
        _items[Count++] = item;
    }

    /// <summary>Reserves n slots and returns them to be filled in place.</summary>
    public Span<T> Append(int n)
    {
        if (Count + n > _items.Length) Grow(Count + n);
        var span = _items.AsSpan(Count, n);
        Count += n;
        return span;
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);

    /// <summary>The contents as an exact-size array; the buffer is left empty.</summary>
    public T[] ToArray()
    {
        var result = Count == _items.Length ? _items : _items.AsSpan(0, Count).ToArray();
        _items = [];
        Count = 0;
        return result;
    }

    public void Clear() => Count = 0;

    private void Grow(int needed)
    {
        long size = _items.Length == 0 ? Math.Max(needed, _initial) : Math.Max(needed, (long)_items.Length * 2);
        Array.Resize(ref _items, (int)Math.Min(size, Array.MaxLength));
    }
}
