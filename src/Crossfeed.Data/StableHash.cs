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
