using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>Adam hyper-parameters shared by the dense and the row-wise optimiser.</summary>
public sealed record AdamSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0)
{
    /// <summary>
    /// One Adam update (Kingma and Ba; decoupled weight decay when set) of <paramref name="p"/> in place,
    /// with step number t (1-based). Works on whole parameters and on gathered table rows alike.
    /// </summary>
    public void Update(Tensor p, Tensor g, Tensor m, Tensor v, double lr, long t)
    {
        double bc1 = 1 - Math.Pow(Beta1, t), bc2 = 1 - Math.Pow(Beta2, t);
        if (WeightDecay > 0) p.mul_(1 - lr * WeightDecay);
        m.mul_(Beta1).add_(g, alpha: 1 - Beta1);
        v.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
        using var denom = v.sqrt().div_(Math.Sqrt(bc2)).add_(Eps);
        p.addcdiv_(m, denom, value: -lr / bc1);
    }
}

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

/// <summary>Adam over dense parameters, written out so its state is plain named tensors that checkpoints restore exactly.</summary>
public sealed class DenseAdam(IEnumerable<(string Name, Parameter P)> parameters, AdamSettings settings)
    : AdamBase("adam", parameters, settings)
{
    /// <summary>One update with step number t (1-based, shared with the row-wise optimiser).</summary>
    public void Step(double lr, long t)
    {
        using var _ = torch.no_grad();
        foreach (var (_, p, m, v) in Slots)
            if (p.grad is { } g) Settings.Update(p, g, m, v, lr, t);
    }
}

/// <summary>
/// Row-wise lazy Adam for embedding tables: only the rows a batch touched are updated and only their
/// moments change; untouched rows keep their state. Bias correction uses the global step, so a row
/// touched at every step follows dense Adam exactly. TorchSharp ships no SparseAdam; this is ours.
/// </summary>
public sealed class LazyAdam(IEnumerable<(string Name, Parameter Table)> tables, AdamSettings settings)
    : AdamBase("lazy", tables, settings)
{
    /// <summary>Applies the gradient <paramref name="grad"/> ([ids, dim]) of the distinct rows <paramref name="ids"/> of table i.</summary>
    public void Step(int i, Tensor ids, Tensor grad, double lr, long t)
    {
        var (_, table, m, v) = Slots[i];
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var rows = table.index_select(0, ids);
        var mRows = m.index_select(0, ids);
        var vRows = v.index_select(0, ids);
        Settings.Update(rows, grad, mRows, vRows, lr, t);
        m.index_copy_(0, ids, mRows);
        v.index_copy_(0, ids, vRows);
        table.index_copy_(0, ids, rows);
    }
}
