namespace Crossfeed.Serving;

/// <summary>
/// The model currently served, swapped atomically. Reference-counted: the holder keeps one reference and
/// every request a lease, so a request finishes on the model it started with and a replaced model is
/// disposed only when its last lease is released.
/// </summary>
public sealed class ModelHolder : IDisposable
{
    private Handle? _current;

    /// <summary>The model new requests get, or null before the first one is loaded.</summary>
    public ServedModel? Current => Volatile.Read(ref _current)?.Model;

    /// <summary>A lease on the current model, or null when none is loaded yet.</summary>
    public ModelLease? TryAcquire()
    {
        while (true)
        {
            var handle = Volatile.Read(ref _current);
            if (handle is null) return null;
            if (handle.TryAddRef()) return new ModelLease(handle);
            // Lost a race with a swap that released the last reference: the new handle is already in place.
        }
    }

    /// <summary>Serves <paramref name="next"/> from now on; the previous model goes when its last request ends.</summary>
    public void Swap(ServedModel next) => Interlocked.Exchange(ref _current, new Handle(next))?.Release();

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    internal sealed class Handle(ServedModel model)
    {
        private int _refs = 1;

        public ServedModel Model { get; } = model;

        public bool TryAddRef()
        {
            while (true)
            {
                var refs = Volatile.Read(ref _refs);
                if (refs == 0) return false;
                if (Interlocked.CompareExchange(ref _refs, refs + 1, refs) == refs) return true;
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _refs) == 0) Model.Dispose();
        }
    }
}
