using Crossfeed.Core;
using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

public sealed class FeatureValueCodecTests
{
    [Fact]
    public void Every_value_type_round_trips_exactly()
    {
        var values = new Dictionary<string, object?>
        {
            ["text"] = "å \"quoted\" \n line",
            ["long"] = long.MaxValue,
            ["integral_double"] = 12.0,
            ["third"] = 1.0 / 3.0,
            ["tiny"] = double.Epsilon,
            ["negative_zero"] = -0.0,
            ["nan"] = double.NaN,
            ["inf"] = double.NegativeInfinity,
            ["yes"] = true,
            ["no"] = false,
            ["missing"] = null,
            ["texts"] = new string?[] { "a", null, "" },
            ["longs"] = new long[] { long.MinValue, 0, 9007199254740993 },
            ["doubles"] = new[] { 0.1, double.PositiveInfinity, -2.5e-300 },
            ["empty"] = Array.Empty<long>(),
        };
        var back = FeatureValueCodec.Decode(FeatureValueCodec.Encode(values), "test");
        FeatureTestLog.AssertSameValues(values, back, "codec");
        Assert.True(double.IsNegative((double)back["negative_zero"]!), "-0.0 keeps its sign");
    }

    [Fact]
    public void Another_version_is_refused_naming_where_it_came_from()
    {
        var e = Assert.Throws<BadInputException>(() => FeatureValueCodec.Decode("""{"v":2,"f":{}}""", "redis key x"));
        Assert.StartsWith("redis key x: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_another_type_cannot_be_encoded()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureValueCodec.Encode(new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }));
        Assert.Contains("'when'", e.Message, StringComparison.Ordinal);
    }
}
