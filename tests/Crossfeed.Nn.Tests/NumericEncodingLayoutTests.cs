using Crossfeed.Core;
using TorchSharp;

namespace Crossfeed.Nn.Tests;

public class NumericEncodingLayoutTests
{
    private const string DatasetYaml = """
        name: tabular
        input: { path: none.csv }
        source: { column: source, values: [all] }
        split: { column: row, train: { from: 0, to: 1 }, val: { from: 1, to: 2 }, test: { from: 2, to: 3 } }
        features:
          - { name: country, group: user, kind: categorical, embedding_dim: 4 }
          - { name: age, group: user, kind: numeric }
          - { name: age_bins, column: age, group: user, kind: numeric, encoding: quantile_bins, embedding_dim: 3 }
          - { name: age_pl, column: age, group: user, kind: numeric, encoding: piecewise_linear, embedding_dim: 6 }
        labels:
          - { name: income }
        """;

    private const string ModelYaml = """
        name: m
        encoder: { hidden: [8] }
        tasks:
          - { name: income, label: income, tower: [4] }
        """;

    /// <summary>country: 10 rows; age_bins: 5 buckets incl. null; age_pl: 7 encoding values.</summary>
    private static FeatureLayout Layout()
    {
        var ds = DatasetConfigLoader.Parse(DatasetYaml, "tabular.yaml", Path.GetTempPath());
        var model = ModelConfigLoader.Parse(ModelYaml, "m.yaml", ds);
        return FeatureLayout.Build(ds, model, f => f switch { "age_bins" => 5, "age_pl" => 7, _ => 10 });
    }

    [Fact]
    public void Quantile_bins_become_a_table_piecewise_linear_a_projection_and_standardize_stays_a_dense_scalar()
    {
        var layout = Layout();
        Assert.Equal([new TableSpec("country", 10, 4), new TableSpec("age_bins", 5, 3)], layout.Tables);
        Assert.Equal(["country", "age_bins"], layout.Categorical.Select(c => c.Feature));
        Assert.Equal([new DenseInput("age", 0, 1, FeatureGroup.User), new DenseInput("age_pl", 1, 7, FeatureGroup.User, 6)], layout.Dense);
        Assert.Equal(1 + 7, layout.DenseWidth);
        Assert.Equal(1, layout.PlainDenseWidth);
        Assert.Equal(4 + 3 + 1 + 6, layout.OutputWidth); // embeddings 4 and 3, the scalar, the projection to 6
    }

    [Fact]
    public void The_encoder_copies_the_scalar_and_maps_a_zero_encoding_to_the_projection_bias()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var layout = Layout();
        using var encoder = new FeatureEncoder(layout, EmbeddingOptimizer.DenseAdam);
        var dense = new float[2 * 8];
        dense[0] = 0.75f;      // row 0: age scalar, all-zero piecewise encoding
        dense[8] = -1.5f;      // row 1: age scalar
        dense[8 + 1] = 1f;     // row 1: first ramp full
        var host = new HostBatch
        {
            Size = 2,
            TableIds = [[3], [0]],
            Local = [[0, 0], [0, 0]],
            ListRow = [null, null],
            ListCount = [null, null],
            Dense = dense,
            Source = [0, 0],
        };
        var output = encoder.call(new DeviceBatch(host));
        Assert.Equal(new long[] { 2, 14 }, output.shape);
        Assert.Equal(0.75f, output[0, 7].item<float>());
        Assert.Equal(-1.5f, output[1, 7].item<float>());
        var bias = encoder.named_parameters().Single(p => p.name.EndsWith("bias", StringComparison.Ordinal)).parameter;
        for (int j = 0; j < 6; j++) Assert.Equal(bias[j].item<float>(), output[0, 8 + j].item<float>());
        Assert.NotEqual(output[0, 8].item<float>(), output[1, 8].item<float>());
    }
}
