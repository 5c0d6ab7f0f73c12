using Crossfeed.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Nn;

/// <summary>
/// Embedding tables plus the dense block. In lazy mode the tables take no gradient themselves: the
/// batch's distinct rows are gathered into a leaf tensor whose gradient the row-wise lazy Adam applies,
/// so a step costs O(rows touched), not O(table size). Piecewise-linear numerics pass through one linear
/// layer each (their part of the dense block to the feature's embedding dim).
/// </summary>
public sealed class FeatureEncoder : nn.Module<DeviceBatch, Tensor>
{
    private readonly ParameterList _tables = new();
    private readonly ModuleList<Linear> _projections = new();
    private readonly FeatureLayout _layout;
    private readonly bool _lazy;
    private bool _frozen;

    public FeatureEncoder(FeatureLayout layout, EmbeddingOptimizer optimizer) : base(nameof(FeatureEncoder))
    {
        _layout = layout;
        _lazy = optimizer == EmbeddingOptimizer.LazyAdam;
        foreach (var t in layout.Tables)
        {
            var w = torch.empty(t.Rows, t.Dim);
            using (torch.no_grad()) nn.init.normal_(w, 0, 0.05);
            _tables.Add(new Parameter(w, requires_grad: !_lazy));
        }
        foreach (var d in layout.Dense.Where(d => d.Projection > 0)) _projections.Add(nn.Linear(d.Width, d.Projection));
        RegisterComponents();
    }

    public FeatureLayout Layout => _layout;

    public bool IsLazy => _lazy;

    public IReadOnlyList<Parameter> Tables => _tables.ToList();

    /// <summary>Frozen tables and projections take no update (transfer with a frozen encoder).</summary>
    public bool Frozen
    {
        get => _frozen;
        set
        {
            _frozen = value;
            foreach (var t in _tables) t.requires_grad = !value && !_lazy;
            foreach (var p in _projections.parameters()) p.requires_grad = !value;
        }
    }

    public override Tensor forward(DeviceBatch batch)
    {
        for (int t = 0; t < _tables.Count; t++)
        {
            var rows = _tables[t].index_select(0, batch.TableIds[t]);
            if (_lazy && !_frozen) rows = rows.detach().requires_grad_(true);
            batch.Rows[t] = rows;
        }
        var parts = new List<Tensor>(_layout.Categorical.Count + 1);
        for (int c = 0; c < _layout.Categorical.Count; c++)
        {
            var input = _layout.Categorical[c];
            var rows = batch.Rows[input.Table];
            var e = rows.index_select(0, batch.Local[c]);
            if (input.IsList)
            {
                var pooled = torch.zeros(batch.Size, rows.shape[1]).index_add(0, batch.ListRow[c]!, e, 1);
                e = input.Pooling == Pooling.Mean ? pooled / batch.ListCount[c]! : pooled;
            }
            parts.Add(e);
        }
        if (batch.Dense is not null)
        {
            if (_projections.Count == 0) parts.Add(batch.Dense);
            else AddProjected(batch.Dense, parts);
        }
        return torch.cat(parts, 1);
    }

    private void AddProjected(Tensor dense, List<Tensor> parts)
    {
        int plain = _layout.PlainDenseWidth;
        if (plain > 0) parts.Add(dense.narrow(1, 0, plain));
        int p = 0;
        foreach (var d in _layout.Dense.Where(d => d.Projection > 0))
            parts.Add(_projections[p++].call(dense.narrow(1, d.Offset, d.Width)));
    }
}
