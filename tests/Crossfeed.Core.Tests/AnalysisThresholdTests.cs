namespace Crossfeed.Core.Tests;

public class AnalysisThresholdTests
{
    private const string Dataset = """
        name: d
        input: { path: x.parquet }
        source: { column: source, values: [promotion, ad] }
        split: { column: day, train: { from: 0, to: 42 }, val: { from: 42, to: 49 }, test: { from: 49, to: 56 } }
        features:
          - { name: show_id, group: content, embedding_dim: 8 }
        labels:
          - { name: stream }

        """;

    private static DatasetConfig Parse(string analysis) => DatasetConfigLoader.Parse(Dataset + analysis, "d.yaml", "/data");

    [Fact]
    public void Less_streamed_threshold_defaults_to_5000_streams()
    {
        Assert.Equal(5000, Parse("").Analysis.LessStreamedBelow);
        Assert.Equal(5000, Parse("analysis: { tier: t }\n").Analysis.LessStreamedBelow);
    }

    [Fact]
    public void Less_streamed_threshold_is_read_from_the_analysis_section()
    {
        Assert.Equal(1200, Parse("analysis: { streams_30d: s, less_streamed_below: 1200 }\n").Analysis.LessStreamedBelow);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("many")]
    public void A_threshold_that_is_not_a_positive_number_is_bad_input_naming_the_key(string value)
    {
        var e = Assert.Throws<BadInputException>(() => Parse($"analysis: {{ streams_30d: s, less_streamed_below: {value} }}\n"));
        Assert.Contains("analysis.less_streamed_below", e.Message);
    }
}
