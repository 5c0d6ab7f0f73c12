namespace Crossfeed.Cli.Tests;

public class CalibrateSplitTests
{
    [Fact]
    public void Calibrate_refuses_the_test_split_because_fitting_there_leaks_it()
    {
        var (code, _, err) = Cli.Run("calibrate", "--model", Path.GetTempPath(), "--split", "test");
        Assert.Equal(2, code);
        Assert.StartsWith("crossfeed: --split test: temperatures fitted on the test split leak", err, StringComparison.Ordinal);
    }
}
