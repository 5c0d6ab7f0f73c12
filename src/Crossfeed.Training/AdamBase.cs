using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>Named parameters with their first and second moments, saved in checkpoints as plain tensors.</summary>
public abstract class AdamBase : IDisposable
{
    private readonly string _prefix;

    protected AdamBase(string prefix, IEnumerable<(string Name, Parameter P)> parameters, AdamSettings settings)
    {
        _prefix = prefix;
        Settings = settings;
        foreach (var (name, p) in parameters)
            Slots.Add((name, p, torch.zeros_like(p).DetachFromDisposeScope(), torch.zeros_like(p).DetachFromDisposeScope()));
    }

    protected AdamSettings Settings { get; }
    protected List<(string Name, Parameter P, Tensor M, Tensor V)> Slots { get; } = new();

    public IEnumerable<(string Name, Tensor Tensor)> State() =>
        Slots.SelectMany(s => new[] { ($"{_prefix}.m.{s.Name}", s.M), ($"{_prefix}.v.{s.Name}", s.V) });

    public void Dispose()
    {
        foreach (var (_, _, m, v) in Slots)
        {
            m.Dispose();
            v.Dispose();
        }
        Slots.Clear();
        GC.SuppressFinalize(this);
    }
}
