using Crossfeed.Cli;

namespace Crossfeed.Serving.Tests;

/// <summary>One small simulated world for the features command's end-to-end tests, plus a redis-server.</summary>
public sealed class FeatureWorldFixture : IDisposable
{
    public FeatureWorldFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"crossfeed-features-e2e-{Guid.NewGuid():N}");
        World = Path.Combine(Root, "world");
        var (code, _, err) = RunCli("simulate", "--out", World, "--impressions", "20000", "--seed", "5");
        if (code != 0) throw new InvalidOperationException($"simulate failed ({code}): {err}");
        Dataset = Path.Combine(World, "dataset.yaml");
    }

    public string Root { get; }
    public string World { get; }
    public string Dataset { get; }

    public string Temp(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    public static (int Code, string Out, string Err) RunCli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
