namespace Crossfeed.Serving;

/// <summary>One request's hold on a model: the model is not disposed before every lease on it is.</summary>
public sealed class ModelLease : IDisposable
{
    private readonly ModelHolder.Handle _handle;
    private int _released;

    internal ModelLease(ModelHolder.Handle handle) => _handle = handle;

    public ServedModel Model => _handle.Model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _handle.Release();
    }
}
