using System.CommandLine;
using Crossfeed.Simulation;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

/// <summary>The whole story on a simulated world: simulate, then train the promotions-only baseline and the joint model.</summary>
public static class DemoCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for everything the demo writes.", DefaultValueFactory = _ => new DirectoryInfo("demo-out") };
        var full = new Option<bool>("--full") { Description = "The default-size world (1.5M impressions) instead of the quick one." };
        var cmd = new Command("demo", "Simulate a podcast world and train the promotions-only baseline and the joint model on it.") { output, full };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            Run(ctx, pr.GetValue(output)!.FullName, pr.GetValue(full));
        }));
        return cmd;
    }

    public static void Run(CliContext ctx, string outDir, bool full)
    {
        var impressions = full ? 1_500_000 : 400_000;
        var world = Path.Combine(outDir, "world");
        ctx.Out.WriteLine($"== 1. simulate a podcast world ({impressions:N0} impressions) ==");
        SimulateCommand.Run(ctx, WorldConfig.ForScenario(Scenario.Podcast, impressions, seed: 7), world);
        var configs = ConfigsDir();
        var data = Path.Combine(world, "dataset.yaml");
        ctx.Out.WriteLine("== 2. train the promotions-only baseline ==");
        var baseline = TrainCommand.Run(ctx, Path.Combine(configs, "podcast-promo-only.yaml"), data, Path.Combine(outDir, "promo-only"), resume: false);
        ctx.Out.WriteLine("== 3. train the joint 5-task model ==");
        var joint = TrainCommand.Run(ctx, Path.Combine(configs, "podcast-joint.yaml"), data, Path.Combine(outDir, "joint"), resume: false);
        var table = new Table().Title("best-epoch validation AP: promotions-only baseline vs joint model");
        table.AddColumns("task, evaluated on", "promotions-only", "joint");
        foreach (var key in baseline.BestValAp.Keys.Union(joint.BestValAp.Keys))
            table.AddPlainRow(key, Fmt(baseline.BestValAp.GetValueOrDefault(key)), Fmt(joint.BestValAp.GetValueOrDefault(key)));
        ctx.Console.Write(table);
        ctx.Out.WriteLine("(a task compares only on the same rows; per tier, per source and oracle comparisons come with `evaluate`.)");
        ctx.Out.WriteLine($"done: everything is under {outDir}");
    }

    private static string Fmt(double? v) => v is { } x ? x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The repository's configs/ folder, found from the executable's location upwards (or the working directory).</summary>
    public static string ConfigsDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "configs");
                if (File.Exists(Path.Combine(candidate, "podcast-joint.yaml"))) return candidate;
            }
        }
        throw new Core.BadInputException("cannot find the configs/ folder with podcast-joint.yaml; run from the repository");
    }
}
