using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Training;

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
