using Crossfeed.Cli;

namespace Crossfeed.Serving.Tests;

/// <summary>./crossfeed serve refuses what it cannot serve with exit code 2 and one line naming the option or file.</summary>
[Collection(ServeBundleCollection.Name)]
public sealed class ServeCommandTests(ServeBundleFixture bundle)
{
    private static (int Code, string Err) Serve(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(["serve", .. args], o, e);
        return (code, e.ToString());
    }

    [Fact]
    public void A_corrupt_bundle_is_refused_with_exit_code_2_naming_the_file()
    {
        var dir = bundle.Copy();
        File.AppendAllText(Path.Combine(dir, "model.yaml"), "\n# edited\n");
        var (code, err) = Serve("--model", dir, "--urls", "http://127.0.0.1:0", "--no-watch");
        Assert.Equal(2, code);
        Assert.Contains("model.yaml: checksum does not match the manifest", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-candidates", "0", "--max-candidates: must be at least 1, got 0")]
    [InlineData("--objective", "ad_stream*lots", "--objective: 'lots' in 'ad_stream*lots' is not a number")]
    [InlineData("--queue", "-1", "--queue: must be 0 or more, got -1")]
    [InlineData("--candidate-cache", "-5", "--candidate-cache: must be 0 (off) or more, got -5")]
    public void A_bad_option_is_refused_with_exit_code_2_naming_it(string option, string value, string message)
    {
        var (code, err) = Serve("--model", bundle.Bundle, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }
}
