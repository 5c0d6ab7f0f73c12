namespace Crossfeed.Simulation;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Our own generator so that a world never depends on
/// System.Random's implementation, and cheap to fork into independent streams (one per chunk of rows).
/// </summary>
internal struct Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spare;
    private bool _hasSpare;

    /// <summary>A stream identified by (seed, stream); different streams are statistically independent.</summary>
    public Rng(long seed, ulong stream)
    {
        ulong x = Mix((ulong)seed) ^ Mix(stream + 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spare = 0;
        _hasSpare = false;
    }

    /// <summary>A stream id built from a purpose tag and up to two indices.</summary>
    public static ulong Stream(ulong purpose, long a = 0, long b = 0) =>
        Mix(purpose * 0x9E3779B97F4A7C15UL ^ Mix((ulong)a + 0x632BE59BD9B4E019UL) ^ Mix((ulong)b * 0xBF58476D1CE4E5B9UL + 1));

    public ulong NextULong()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n); n > 0.</summary>
    public int NextInt(int n) => (int)(((NextULong() >> 32) * (ulong)n) >> 32);

    /// <summary>Uniform integer in [lo, hi).</summary>
    public int NextInt(int lo, int hi) => lo + NextInt(hi - lo);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Marsaglia's polar method).</summary>
    public double Normal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }

    public double Exponential() => -Math.Log(1 - NextDouble());

    /// <summary>Poisson draw: exact for small means, normal approximation above 30.</summary>
    public long Poisson(double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 30) return Math.Max(0, (long)Math.Round(mean + Math.Sqrt(mean) * Normal()));
        double l = Math.Exp(-mean), p = 1;
        long k = -1;
        do
        {
            k++;
            p *= NextDouble();
        }
        while (p > l);
        return k;
    }

    /// <summary>Gumbel(0, 1) noise, for sampling the argmax of a softmax.</summary>
    public double Gumbel() => -Math.Log(-Math.Log(NextDouble() * (1 - 1e-12) + 1e-12));

    /// <summary>Index drawn from unnormalised weights by a linear scan (short arrays only).</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights) total += w;
        double u = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }

    public int Pick(ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (float w in weights) total += w;
        double u = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
