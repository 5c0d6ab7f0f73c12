using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>Adam hyper-parameters shared by the dense and the row-wise optimiser.</summary>
public sealed record AdamSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0);

/// <summary>
/// Adam over dense parameters (Kingma and Ba), written out so its state is plain named tensors that
/// checkpoints can save and restore exactly. Weight decay is decoupled (AdamW) when set.
/// </summary>
public sealed class DenseAdam : IDisposable
{
    private readonly List<(string Name, Parameter P, Tensor M, Tensor V)> _state = new();
    private readonly AdamSettings _s;

    public DenseAdam(IEnumerable<(string Name, Parameter P)> parameters, AdamSettings settings)
    {
        _s = settings;
        foreach (var (name, p) in parameters)
            _state.Add((name, p, torch.zeros_like(p).DetachFromDisposeScope(), torch.zeros_like(p).DetachFromDisposeScope()));
    }

    /// <summary>One update with step number t (1-based, shared with the row-wise optimiser).</summary>
    public void Step(double lr, long t)
    {
        double bc1 = 1 - Math.Pow(_s.Beta1, t), bc2 = 1 - Math.Pow(_s.Beta2, t);
        using var _ = torch.no_grad();
        foreach (var (_, p, m, v) in _state)
        {
            var g = p.grad;
            if (g is null) continue;
            if (_s.WeightDecay > 0) p.mul_(1 - lr * _s.WeightDecay);
            m.mul_(_s.Beta1).add_(g, alpha: 1 - _s.Beta1);
            v.mul_(_s.Beta2).addcmul_(g, g, value: 1 - _s.Beta2);
            using var denom = v.sqrt().div_(Math.Sqrt(bc2)).add_(_s.Eps);
            p.addcdiv_(m, denom, value: -lr / bc1);
        }
    }

    public IEnumerable<(string Name, Tensor Tensor)> State() =>
        _state.SelectMany(s => new[] { ($"adam.m.{s.Name}", s.M), ($"adam.v.{s.Name}", s.V) });

    public void Dispose()
    {
        foreach (var (_, _, m, v) in _state)
        {
            m.Dispose();
            v.Dispose();
        }
        _state.Clear();
    }
}

/// <summary>
/// Row-wise lazy Adam for embedding tables: only the rows a batch touched are updated and only their
/// moments change; untouched rows keep their state. Bias correction uses the global step, so a row
/// touched at every step follows dense Adam exactly. TorchSharp ships no SparseAdam; this is ours.
/// </summary>
public sealed class LazyAdam : IDisposable
{
    private readonly List<(string Name, Parameter Table, Tensor M, Tensor V)> _state = new();
    private readonly AdamSettings _s;

    public LazyAdam(IEnumerable<(string Name, Parameter Table)> tables, AdamSettings settings)
    {
        _s = settings;
        foreach (var (name, t) in tables)
            _state.Add((name, t, torch.zeros_like(t).DetachFromDisposeScope(), torch.zeros_like(t).DetachFromDisposeScope()));
    }

    public int Count => _state.Count;

    /// <summary>Applies the gradient <paramref name="grad"/> ([ids, dim]) of the distinct rows <paramref name="ids"/> of table i.</summary>
    public void Step(int i, Tensor ids, Tensor grad, double lr, long t)
    {
        var (_, table, m, v) = _state[i];
        double bc1 = 1 - Math.Pow(_s.Beta1, t), bc2 = 1 - Math.Pow(_s.Beta2, t);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var mRows = m.index_select(0, ids).mul_(_s.Beta1).add_(grad, alpha: 1 - _s.Beta1);
        var vRows = v.index_select(0, ids).mul_(_s.Beta2).addcmul_(grad, grad, value: 1 - _s.Beta2);
        m.index_copy_(0, ids, mRows);
        v.index_copy_(0, ids, vRows);
        var rows = table.index_select(0, ids);
        if (_s.WeightDecay > 0) rows.mul_(1 - lr * _s.WeightDecay);
        var denom = vRows.sqrt().div_(Math.Sqrt(bc2)).add_(_s.Eps);
        rows.addcdiv_(mRows, denom, value: -lr / bc1);
        table.index_copy_(0, ids, rows);
    }

    public IEnumerable<(string Name, Tensor Tensor)> State() =>
        _state.SelectMany(s => new[] { ($"lazy.m.{s.Name}", s.M), ($"lazy.v.{s.Name}", s.V) });

    public void Dispose()
    {
        foreach (var (_, _, m, v) in _state)
        {
            m.Dispose();
            v.Dispose();
        }
        _state.Clear();
    }
}
