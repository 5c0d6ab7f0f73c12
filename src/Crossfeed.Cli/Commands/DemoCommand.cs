using System.CommandLine;
using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Evaluation;
using Crossfeed.Simulation;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

/// <summary>
/// The whole story on a simulated world: simulate, train the promotions-only baseline and the joint
/// model, calibrate both, evaluate both on the test days, and compare them as the paper's Table 1 does
/// (promotions AP, ads AP) and per popularity tier, then in a budget-split A/B test in the same world.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext ctx)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for everything the demo writes.", DefaultValueFactory = _ => new DirectoryInfo("demo-out") };
        var full = new Option<bool>("--full") { Description = "The default-size world (1.5M impressions) instead of the quick one (400k)." };
        var impressions = new Option<long?>("--impressions") { Description = "Any other world size (overrides --full)." };
        var cmd = new Command("demo", "Simulate a podcast world; train, calibrate and evaluate the promotions-only baseline and the joint model; compare them offline and in a simulated A/B test.")
            { output, full, impressions };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
            Run(ctx, pr.GetValue(output)!.FullName, pr.GetValue(impressions) ?? (pr.GetValue(full) ? 1_500_000 : 400_000))));
        return cmd;
    }

    public static void Run(CliContext ctx, string outDir, long impressions)
    {
        var world = Path.Combine(outDir, "world");
        var data = Path.Combine(world, "dataset.yaml");
        var configs = ConfigsDir();

        ctx.Out.WriteLine($"== 1. simulate a podcast world ({impressions:N0} impressions) ==");
        SimulateCommand.Run(ctx, WorldConfig.ForScenario(Scenario.Podcast, impressions, seed: 7), world);

        var evaluations = new Dictionary<string, EvaluationResult>();
        foreach (var (name, config) in new[] { ("promo-only", "podcast-promo-only.yaml"), ("joint", "podcast-joint.yaml") })
        {
            var bundle = Path.Combine(outDir, name);
            ctx.Out.WriteLine($"== 2. train {name} ==");
            TrainCommand.Run(ctx, Path.Combine(configs, config), data, bundle, resume: false);
            ctx.Out.WriteLine($"== 3. calibrate {name} on the validation days ==");
            EvaluateCommands.RunCalibrate(ctx, bundle, data, SplitName.Val);
            ctx.Out.WriteLine($"== 4. evaluate {name} on the test days ==");
            evaluations[name] = EvaluateCommands.RunEvaluate(ctx, bundle, data, SplitName.Test, Path.Combine(outDir, $"eval-{name}"), bootstrap: 100);
        }

        ctx.Out.WriteLine("== 5. the joint model against the promotions-only baseline ==");
        PrintComparison(ctx, evaluations["promo-only"], evaluations["joint"]);

        ctx.Out.WriteLine("== 6. budget-split A/B test in the world: joint (treatment) against promotions-only (control) ==");
        AbTestCommand.Run(ctx, world, Path.Combine(outDir, "promo-only"), Path.Combine(outDir, "joint"), Path.Combine(outDir, "abtest"), new AbTest.AbTestOptions());
        ctx.Out.WriteLine($"HTML reports: {Path.Combine(outDir, "eval-joint", "report.html")}, {Path.Combine(outDir, "eval-promo-only", "report.html")} and {Path.Combine(outDir, "abtest", "report.html")}");
        ctx.Out.WriteLine($"done: everything is under {outDir}");
    }

    /// <summary>
    /// Table 1 style: promotions AP is the stream label on promotion rows, ads AP the stream label on ad
    /// rows. The baseline has no ad head, so its promotion head scores the ads ("used to score ads too").
    /// </summary>
    public static void PrintComparison(CliContext ctx, EvaluationResult baseline, EvaluationResult joint)
    {
        var rows = new (string Metric, MetricSet? Base, MetricSet? Joint)[]
        {
            ("promotions AP (stream on promotions)", baseline.Tasks.GetValueOrDefault("promo_stream"), joint.Tasks.GetValueOrDefault("promo_stream")),
            ("ads AP (stream on ads)", baseline.BySource.GetValueOrDefault("ad")?.GetValueOrDefault("promo_stream"), joint.Tasks.GetValueOrDefault("ad_stream")),
        };
        var table = new Table().Title("test days: the joint 5-task model vs the promotions-only baseline (paper: promotions +4.5%, ads +50.2%)");
        table.AddColumns("metric", "promotions-only", "joint", "relative change", "oracle AP", "joint: of oracle");
        foreach (var (metric, b, j) in rows)
            table.AddPlainRow(metric, F(b?.Ap), F(j?.Ap), Relative(b?.Ap, j?.Ap), F(j?.OracleAp), j?.FractionOfOracle is { } f ? f.ToString("P0", CultureInfo.InvariantCulture) : "n/a");
        ctx.Console.Write(table);

        var baseTiers = baseline.BySourceTier?.GetValueOrDefault("ad")?.GetValueOrDefault("promo_stream");
        var jointTiers = joint.ByTier.GetValueOrDefault("ad_stream");
        if (baseTiers is null || jointTiers is null) return;
        var tiers = new Table().Title("ads AP by popularity tier (0 = most streamed; tiers 3-5 are the less-streamed shows)");
        tiers.AddColumns("tier", "ad impressions", "positives", "promotions-only", "joint", "relative change", "oracle AP");
        for (int t = 0; t < 8; t++)
        {
            var key = t.ToString(CultureInfo.InvariantCulture);
            var b = baseTiers.GetValueOrDefault(key);
            var j = jointTiers.GetValueOrDefault(key);
            if (j is null) continue;
            tiers.AddPlainRow(key, j.N.ToString("N0", CultureInfo.InvariantCulture), j.Positives.ToString("N0", CultureInfo.InvariantCulture) + (j.HasFewPositives ? " (!)" : ""),
                F(b?.Ap), F(j.Ap), Relative(b?.Ap, j.Ap), F(j.OracleAp));
        }
        ctx.Console.Write(tiers);
    }

    private static string F(double? v) => EvaluateCommands.F(v);

    private static string Relative(double? baseline, double? value) =>
        baseline is { } b && value is { } v && b > 0 ? ((v - b) / b).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture) : "n/a";

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
        throw new BadInputException("cannot find the configs/ folder with podcast-joint.yaml; run from the repository");
    }
}
