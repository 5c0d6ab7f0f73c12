using Crossfeed.Cli.Commands;

namespace Crossfeed.Cli.Tests;

/// <summary>One small simulated world shared by the end-to-end tests of a class.</summary>
public sealed class WorldFixture : IDisposable
{
    public WorldFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"crossfeed-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        World = Path.Combine(Root, "world");
        var (code, _, err) = Cli.Run("simulate", "--out", World, "--impressions", "40000", "--seed", "11");
        if (code != 0) throw new InvalidOperationException($"simulate failed ({code}): {err}");
        Dataset = Path.Combine(World, "dataset.yaml");
    }

    public string Root { get; }
    public string World { get; }
    public string Dataset { get; }

    /// <summary>A shipped config from configs/, shortened for tests (one short epoch).</summary>
    public string QuickConfig(string name, int steps = 25)
    {
        var text = File.ReadAllText(Path.Combine(DemoCommand.ConfigsDir(), name));
        text = text.EditRegex(@"epochs: \d+", $"epochs: 1\n  max_steps_per_epoch: {steps}\n  warmup_steps: 5");
        text = text.Edit("batch_size: 1024", "batch_size: 256");
        var path = Path.Combine(Root, $"quick-{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    public string Temp(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

public static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
