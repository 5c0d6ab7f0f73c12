namespace Crossfeed.Data;

/// <summary>SplitMix64: a tiny, fast generator whose sequence is fixed by its seed on every platform.</summary>
public struct SplitMix64
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
