using TorchSharp;

namespace Crossfeed.Nn;

/// <summary>
/// Scalars the forward pass passes to native ops, held for the life of the process. `a.add(b)` converts 1 to
/// a temporary Scalar whose only reference is dropped once its handle is read: when another thread allocates,
/// a collection can finalise it (freeing the native scalar) while the native add still reads it, which two
/// arms ranking at once in `abtest` hit as "INTERNAL ASSERT FAILED at c10/core/Scalar.h". A static Scalar is
/// never collected, and native scalars are immutable, so every thread can share it.
/// </summary>
internal static class Scalars
{
    public static readonly Scalar One = 1.ToScalar();
}
