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

    public override Tensor forward(DeviceBatch batch) => Forward(batch, null);

    /// <summary>
    /// The encoder output's columns of the features <paramref name="reads"/> admits (by name and group; all when null),
    /// in output order: equal to the full output's index_select of those columns, but only their tables are looked up
    /// (scoring one user against many candidates reads the user's features once and the candidates' N times).
    /// </summary>
    public Tensor Forward(DeviceBatch batch, Func<string, FeatureGroup, bool>? reads)
    {
        bool Reads(string feature, FeatureGroup g) => reads?.Invoke(feature, g) ?? true;
        for (int t = 0; t < _tables.Count; t++) batch.Rows[t] = null!;
        var parts = new List<Tensor>(_layout.Categorical.Count + 1);
        for (int c = 0; c < _layout.Categorical.Count; c++)
        {
            var input = _layout.Categorical[c];
            if (!Reads(input.Feature, input.Group)) continue;
            var rows = batch.Rows[input.Table] ??= LookUp(batch, input.Table);
            var e = rows.index_select(0, batch.Local[c]);
            if (input.IsList)
            {
                var pooled = torch.zeros(batch.Size, rows.shape[1], device: rows.device).index_add(0, batch.ListRow[c]!, e, 1);
                e = input.Pooling == Pooling.Mean ? pooled / batch.ListCount[c]! : pooled;
            }
            parts.Add(e);
        }
        if (batch.Dense is { } dense)
        {
            var plain = _layout.Dense.Where(d => d.Projection == 0 && Reads(d.Feature, d.Group)).ToArray();
            if (plain.Length == _layout.Dense.Count(d => d.Projection == 0))
            {
                if (_layout.PlainDenseWidth > 0) parts.Add(_layout.PlainDenseWidth == dense.shape[1] ? dense : dense.narrow(1, 0, _layout.PlainDenseWidth));
            }
            else if (plain.Length > 0)
            {
                using var columns = torch.tensor(plain.SelectMany(d => Enumerable.Range(d.Offset, d.Width)).Select(i => (long)i).ToArray(), device: dense.device);
                parts.Add(dense.index_select(1, columns));
            }
            int p = 0;
            foreach (var d in _layout.Dense.Where(d => d.Projection > 0))
            {
                var projection = _projections[p++];
                if (Reads(d.Feature, d.Group)) parts.Add(projection.call(dense.narrow(1, d.Offset, d.Width)));
            }
        }
        return torch.cat(parts, 1);
    }

    private Tensor LookUp(DeviceBatch batch, int table)
    {
        var rows = _tables[table].index_select(0, batch.TableIds[table]);
        return _lazy && !_frozen ? rows.detach().requires_grad_(true) : rows;
    }
}
