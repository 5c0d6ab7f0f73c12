using System.CommandLine;
using Crossfeed.AbTest;
using Spectre.Console;
using TorchSharp;

namespace Crossfeed.Cli.Commands;

/// <summary>abtest: a budget-split A/B test of two arms (bundles, oracle or random) in a simulated world (docs/abtest.md).</summary>
public static class AbTestCommand
{
    public static Command Create(CliContext ctx)
    {
        var world = new Option<DirectoryInfo>("--world") { Description = "A folder written by `crossfeed simulate`.", Required = true };
        var control = new Option<string>("--control") { Description = "Control arm: a bundle folder, 'oracle' (true probabilities) or 'random'.", Required = true };
        var treatment = new Option<string>("--treatment") { Description = "Treatment arm: a bundle folder, 'oracle' or 'random'.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for results.json, report.md and report.html.", Required = true };
        var defaults = new AbTestOptions();
        var days = new Option<int>("--days") { Description = "Test days: the world's last N days.", DefaultValueFactory = _ => defaults.Days };
        var traffic = new Option<int>("--traffic") { Description = "Arriving user visits per day each arm serves.", DefaultValueFactory = _ => defaults.Traffic };
        var seeds = new Option<int>("--seeds") { Description = "Independent replays (intervals over replays need 2 or more).", DefaultValueFactory = _ => defaults.Seeds };
        var firstSeed = new Option<int>("--first-seed") { Description = "Seed of the first replay.", DefaultValueFactory = _ => defaults.FirstSeed };
        var adCandidates = new Option<int>("--ad-candidates") { Description = "Creatives retrieved per ad opportunity.", DefaultValueFactory = _ => defaults.AdCandidates };
        var promoCandidates = new Option<int>("--promo-candidates") { Description = "Shows retrieved per promotion slot.", DefaultValueFactory = _ => defaults.PromoCandidates };
        var cap = new Option<int>("--frequency-cap") { Description = "Impressions of one campaign (ads) or show (promotions) per user over the test, per arm.", DefaultValueFactory = _ => defaults.FrequencyCap };
        var budget = new Option<double>("--budget-scale") { Description = "Campaign budgets relative to the world's, scaled to the test's traffic.", DefaultValueFactory = _ => defaults.BudgetScale };
        var bootstrap = new Option<int>("--bootstrap") { Description = "User-level bootstrap resamples for the intervals (0: none).", DefaultValueFactory = _ => defaults.Bootstrap };
        var seedIntervals = new Option<bool>("--seed-intervals") { Description = "Require intervals over replays (refused with fewer than 2 seeds)." };
        var cmd = new Command("abtest", "Budget-split A/B test of two arms in a simulated world: ads by predicted stream probability x bid, promotions by predicted stream probability, outcomes from the world's true probabilities.")
            { world, control, treatment, output, days, traffic, seeds, firstSeed, adCandidates, promoCandidates, cap, budget, bootstrap, seedIntervals };
        cmd.SetAction(CliApp.Guarded(ctx, pr => Run(ctx, pr.GetValue(world)!.FullName, pr.GetValue(control)!, pr.GetValue(treatment)!, pr.GetValue(output)!.FullName,
            new AbTestOptions
            {
                Days = pr.GetValue(days),
                Traffic = pr.GetValue(traffic),
                Seeds = pr.GetValue(seeds),
                FirstSeed = pr.GetValue(firstSeed),
                AdCandidates = pr.GetValue(adCandidates),
                PromoCandidates = pr.GetValue(promoCandidates),
                FrequencyCap = pr.GetValue(cap),
                BudgetScale = pr.GetValue(budget),
                Bootstrap = pr.GetValue(bootstrap),
                SeedIntervals = pr.GetValue(seedIntervals),
            })));
        return cmd;
    }

    public static AbTestResult Run(CliContext ctx, string worldDir, string control, string treatment, string outDir, AbTestOptions options)
    {
        // The two arms run side by side, one core each (the runner validates the options).
        torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / 2));
        var result = AbTestRunner.Run(worldDir, control, treatment, options, new Progress<string>(ctx.Out.WriteLine), ctx.Cancellation);
        var files = AbTestReport.Write(result, outDir);
        PrintSummary(ctx, result);
        ctx.Out.WriteLine($"wrote {string.Join(", ", files)}");
        return result;
    }

    /// <summary>Table 2 of the paper: ads overall, less-streamed and rest, then by tier; promotions overall.</summary>
    public static void PrintSummary(CliContext ctx, AbTestResult r)
    {
        var table = new Table().Title(AbTestReport.Title(r) + " (paper, joint vs baseline: eCPS -20%, i2s +18%; less-streamed eCPS -22%, i2s +24%)");
        table.AddColumns("segment", "impressions (c / t)", "streams (c / t)", "i2s change", "CTR change", "eCPS change");
        var rows = new[] { ("ads", "all"), ("ads", "less-streamed"), ("ads", "rest") }
            .Concat(Enumerable.Range(0, 8).Select(t => ("ads", $"tier {t}")))
            .Append(("promotions", "all")).Append(("promotions", "less-streamed"));
        foreach (var (channel, slice) in rows)
        {
            if (r.Segment(channel, slice) is not { } s) continue;
            table.AddPlainRow($"{channel}: {slice}{(AbTestReport.Few(s) ? " \u2020" : "")}", $"{s.Control.Impressions:N0} / {s.Treatment.Impressions:N0}", $"{s.Control.Streams:N0} / {s.Treatment.Streams:N0}",
                Cell(s.Changes[AbMetric.I2s]), Cell(s.Changes[AbMetric.Ctr]), channel == "ads" ? Cell(s.Changes[AbMetric.Ecps]) : "");
        }
        ctx.Console.Write(table);
        ctx.Out.WriteLine($"brackets: 95% user-bootstrap interval; \u2020 fewer than {AbTestReport.FewStreams} streams in an arm (a lead, not a result)");
        foreach (var a in new[] { r.Control, r.Treatment })
            ctx.Out.WriteLine($"{a.Name}: spent {a.Spend:N2} of {a.Budget:N2}; {a.Unfilled:N0} visits unfilled; largest campaign overspend {Math.Max(0, a.MaxCampaignOverspend):N2}");
    }

    private static string Cell(AbChange c)
    {
        var cell = AbTestReport.Pct(c.Percent);
        if (c.BootstrapLow is { } lo && c.BootstrapHigh is { } hi) cell += $" [{AbTestReport.Pct(lo)}, {AbTestReport.Pct(hi)}]";
        if (c.SeedMean is { } m) cell += $" (replays {AbTestReport.Pct(m)} [{AbTestReport.Pct(c.SeedLow)}, {AbTestReport.Pct(c.SeedHigh)}])";
        return cell;
    }
}
