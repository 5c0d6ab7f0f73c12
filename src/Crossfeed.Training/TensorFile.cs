using System.Text;
using Crossfeed.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>
/// Named float32 tensors in one file (our own small format, "CFTENSOR1"), written to a temporary name
/// and renamed so a crash never leaves a half-written file under the final name.
/// </summary>
public static class TensorFile
{
    private const string Magic = "CFTENSOR1";

    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors) => AtomicFile.Write(path, tmp =>
    {
        using (var w = new BinaryWriter(File.Create(tmp), Encoding.UTF8))
        {
            var list = tensors.ToList();
            w.Write(Magic);
            w.Write(list.Count);
            foreach (var (name, t) in list)
            {
                w.Write(name);
                var shape = t.shape;
                w.Write(shape.Length);
                foreach (var d in shape) w.Write(d);
                using var c = t.detach().cpu().contiguous().to_type(ScalarType.Float32);
                var data = c.data<float>().ToArray();
                w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            }
        }
    });

    /// <summary>Reads every tensor; the caller owns (and disposes) them.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path}: not a Crossfeed tensor file");
        int count = r.ReadInt32();
        var result = new Dictionary<string, Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var shape = new long[r.ReadInt32()];
            long n = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = r.ReadInt64();
                n *= shape[d];
            }
            var data = new float[n];
            r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
            result[name] = torch.tensor(data, shape).DetachFromDisposeScope();
        }
        return result;
    }

    /// <summary>Copies saved values into live tensors by name; every live tensor must be present with the same shape.</summary>
    public static void CopyInto(string path, IEnumerable<(string Name, Tensor Tensor)> targets)
    {
        var saved = Load(path);
        try
        {
            using var _ = torch.no_grad();
            foreach (var (name, t) in targets)
            {
                if (!saved.TryGetValue(name, out var s))
                    throw new InvalidDataException($"{path}: tensor '{name}' is missing");
                if (!s.shape.SequenceEqual(t.shape))
                    throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(",", s.shape)}], expected [{string.Join(",", t.shape)}]");
                t.copy_(s);
            }
        }
        finally
        {
            foreach (var s in saved.Values) s.Dispose();
        }
    }
}
