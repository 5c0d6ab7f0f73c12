using Crossfeed.Cli;
using Crossfeed.Cli.Commands;
using Crossfeed.Training;

namespace Crossfeed.Serving.Tests;

/// <summary>
/// One real bundle, trained once for the tests that are about a model on disk (load, verify, version,
/// reload): a small simulated world and a few hundred steps of the joint podcast model.
/// </summary>
public sealed class ServeBundleFixture : IDisposable
{
    public ServeBundleFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"crossfeed-serve-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        var world = Path.Combine(Root, "world");
        Run("simulate", "--out", world, "--impressions", "30000", "--seed", "5");
        var text = File.ReadAllText(Path.Combine(DemoCommand.ConfigsDir(), "podcast-joint.yaml"));
        text = text.EditRegex(@"epochs: \d+", "epochs: 1\n  max_steps_per_epoch: 200\n  warmup_steps: 10");
        text = text.Edit("batch_size: 1024", "batch_size: 128");
        var config = Path.Combine(Root, "podcast-joint.yaml");
        File.WriteAllText(config, text);
        Bundle = Path.Combine(Root, "bundle");
        Run("train", "--config", config, "--data", Path.Combine(world, "dataset.yaml"), "--out", Bundle);
    }

    public string Root { get; }

    /// <summary>The trained bundle; tests that change a bundle work on a <see cref="Copy"/>.</summary>
    public string Bundle { get; }

    /// <summary>
    /// The ranker for a loaded bundle in these HTTP tests: a stand-in that takes the tasks and their sources
    /// from the bundle, so the tests are about the HTTP layer (the real CandidateRanker, which `serve` wires
    /// through <see cref="ServingWiring.Ranker"/>, is tested against `score` over HTTP in RankMatchesScoreTests and in process in Crossfeed.Cli.Tests).
    /// </summary>
    public static Func<TrainedModel, IRanker> Ranker { get; } =
        trained => new StandInRanker(trained.Model.Tasks.Select(t => (t.Name, t.Sources.ToArray())).ToArray());

    public static Func<string, ServedModel> Loader { get; } = dir => ServedModel.LoadBundle(dir, Ranker);

    public string Copy()
    {
        var dir = Path.Combine(Root, $"copy-{Guid.NewGuid():N}", "bundle");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Bundle)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    private static void Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(args, o, e);
        if (code != 0) throw new InvalidOperationException($"crossfeed {args[0]} failed ({code}): {e}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
