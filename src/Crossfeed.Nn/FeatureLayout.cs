using Crossfeed.Core;

namespace Crossfeed.Nn;

/// <summary>
/// Which features the model reads and in what order. The encoder's output is the concatenation of
/// the categorical embeddings (quantile_bins numerics among them) then the dense block, each ordered by
/// feature group (user, content, context, creative), so the first layer can later be split by group; the
/// projections of piecewise_linear numerics come last.
/// </summary>
public sealed record FeatureLayout(
    IReadOnlyList<TableSpec> Tables,
    IReadOnlyList<CategoricalInput> Categorical,
    IReadOnlyList<DenseInput> Dense,
    int DenseWidth)
{
    public long OutputWidth => Categorical.Sum(c => (long)Tables[c.Table].Dim) + Dense.Sum(d => (long)(d.Projection > 0 ? d.Projection : d.Width));

    /// <summary>Width of the dense inputs copied as they are (they come first in the dense block).</summary>
    public int PlainDenseWidth => Dense.Where(d => d.Projection == 0).Sum(d => d.Width);

    /// <summary>
    /// tableRows gives the rows of the table owned by a categorical feature (vocabulary incl. reserved rows),
    /// of a quantile_bins feature's table, and a piecewise_linear feature's encoding width (Preprocessor.TableRows).
    /// </summary>
    public static FeatureLayout Build(DatasetConfig dataset, ModelConfig model, Func<string, int> tableRows)
    {
        var used = dataset.Features
            .Where(f => model.FeatureGroups.Contains(f.Group) && !model.ExcludeFeatures.Contains(f.Name))
            .OrderBy(f => f.Group)
            .ToList();
        var tables = new List<TableSpec>();
        var tableIndex = new Dictionary<string, int>();
        var categorical = new List<CategoricalInput>();
        foreach (var f in used.Where(f => f.IsCategorical || (f.IsBinned && f.Encoding == NumericEncoding.QuantileBins)))
        {
            var owner = f.ShareTable is null ? f : dataset.Feature(f.ShareTable)!;
            if (!tableIndex.TryGetValue(owner.Name, out var t))
            {
                t = tables.Count;
                tableIndex[owner.Name] = t;
                tables.Add(new TableSpec(owner.Name, tableRows(owner.Name), owner.EmbeddingDim));
            }
            categorical.Add(new CategoricalInput(f.Name, t, f.Kind == FeatureKind.CategoricalList, f.Pooling, f.Group));
        }
        var dense = new List<DenseInput>();
        int offset = 0;
        foreach (var f in used.Where(f => (f.Kind is FeatureKind.Numeric or FeatureKind.Vector) && !f.IsBinned))
        {
            var width = f.Kind == FeatureKind.Vector ? f.Dim : 1;
            dense.Add(new DenseInput(f.Name, offset, width, f.Group));
            offset += width;
        }
        foreach (var f in used.Where(f => f.IsBinned && f.Encoding == NumericEncoding.PiecewiseLinear))
        {
            var width = tableRows(f.Name);
            dense.Add(new DenseInput(f.Name, offset, width, f.Group, f.EmbeddingDim));
            offset += width;
        }
        return new FeatureLayout(tables, categorical, dense, offset);
    }
}
