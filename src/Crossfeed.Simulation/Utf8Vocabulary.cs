using System.Runtime.InteropServices;
using ParquetSharp;

namespace Crossfeed.Simulation;

/// <summary>UTF-8 bytes of a vocabulary in one pinned array, handed to the writer as ByteArray views.</summary>
internal sealed class Utf8Vocabulary
{
    private readonly byte[] _bytes;
    private readonly ByteArray[] _entries;

    public Utf8Vocabulary(IReadOnlyList<string> words)
    {
        var encoded = words.Select(w => System.Text.Encoding.UTF8.GetBytes(w)).ToArray();
        _bytes = GC.AllocateArray<byte>(Math.Max(1, encoded.Sum(e => e.Length)), pinned: true);
        _entries = new ByteArray[encoded.Length];
        int offset = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            encoded[i].CopyTo(_bytes, offset);
            _entries[i] = new ByteArray(Marshal.UnsafeAddrOfPinnedArrayElement(_bytes, offset), encoded[i].Length);
            offset += encoded[i].Length;
        }
    }

    public ByteArray this[int code] => _entries[code];
}
