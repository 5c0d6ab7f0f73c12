using Crossfeed.Core;

namespace Crossfeed.Nn;

/// <summary>An embedding table: owned by one categorical feature, possibly shared by others.</summary>
public sealed record TableSpec(string Name, int Rows, int Dim);

/// <summary>A categorical feature reading one table; lists are pooled.</summary>
public sealed record CategoricalInput(string Feature, int Table, bool IsList, Pooling Pooling, FeatureGroup Group);

/// <summary>A numeric (Width 1) or vector feature, copied into the dense block at Offset.</summary>
public sealed record DenseInput(string Feature, int Offset, int Width, FeatureGroup Group);

/// <summary>
/// Which features the model reads and in what order. The encoder's output is the concatenation of
/// the categorical embeddings then the dense block, each ordered by feature group (user, content,
/// context, creative), so the first layer can later be split by group.
/// </summary>
public sealed record FeatureLayout(
    IReadOnlyList<TableSpec> Tables,
    IReadOnlyList<CategoricalInput> Categorical,
    IReadOnlyList<DenseInput> Dense,
    int DenseWidth)
{
    public long OutputWidth => Categorical.Sum(c => (long)Tables[c.Table].Dim) + DenseWidth;

    /// <summary>tableRows gives the rows of the table owned by a categorical feature (vocabulary incl. reserved rows).</summary>
    public static FeatureLayout Build(DatasetConfig dataset, ModelConfig model, Func<string, int> tableRows)
    {
        var used = dataset.Features
            .Where(f => model.FeatureGroups.Contains(f.Group) && !model.ExcludeFeatures.Contains(f.Name))
            .OrderBy(f => f.Group)
            .ToList();
        var tables = new List<TableSpec>();
        var tableIndex = new Dictionary<string, int>();
        var categorical = new List<CategoricalInput>();
        foreach (var f in used.Where(f => f.IsCategorical))
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
        foreach (var f in used.Where(f => f.Kind is FeatureKind.Numeric or FeatureKind.Vector))
        {
            var width = f.Kind == FeatureKind.Vector ? f.Dim : 1;
            dense.Add(new DenseInput(f.Name, offset, width, f.Group));
            offset += width;
        }
        return new FeatureLayout(tables, categorical, dense, offset);
    }
}
