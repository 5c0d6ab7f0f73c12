using System.Text.Json.Nodes;
using Crossfeed.AbTest;

namespace Crossfeed.Cli.Tests;

/// <summary>The budget-split A/B simulator on a small world: reference arms, common random numbers, budgets, bundles, bad input.</summary>
public class AbTestTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    private static readonly AbTestOptions Quick = new() { Traffic = 1500, Bootstrap = 50 };

    [Fact]
    public void Oracle_beats_random_on_i2s_ctr_and_ecps_overall_and_in_every_tier_with_enough_traffic()
    {
        var r = AbTestRunner.Run(world.World, AbTestRunner.Random, AbTestRunner.Oracle, Quick);
        var ads = r.Segment("ads", "all")!;
        Assert.True(ads.Changes[AbMetric.I2s].BootstrapLow > 0, $"i2s {ads.Changes[AbMetric.I2s]}");
        Assert.True(ads.Changes[AbMetric.Ctr].Percent > 0, $"CTR {ads.Changes[AbMetric.Ctr]}");
        Assert.True(ads.Changes[AbMetric.Ecps].BootstrapHigh < 0, $"eCPS {ads.Changes[AbMetric.Ecps]}");
        var promotions = r.Segment("promotions", "all")!;
        Assert.True(promotions.Changes[AbMetric.I2s].BootstrapLow > 0, $"promotion i2s {promotions.Changes[AbMetric.I2s]}");
        int tiers = 0;
        for (int t = 0; t < 8; t++)
        {
            // Enough traffic: at least 1,000 ad impressions in the tier in each arm.
            if (r.Segment("ads", $"tier {t}") is not { } s || s.Control.Impressions < 1000 || s.Treatment.Impressions < 1000) continue;
            tiers++;
            Assert.True(s.Changes[AbMetric.I2s].Percent > 0, $"tier {t} i2s {s.Changes[AbMetric.I2s]}");
            Assert.True(s.Changes[AbMetric.Ecps].Percent < 0, $"tier {t} eCPS {s.Changes[AbMetric.Ecps]}");
        }
        Assert.True(tiers >= 3, $"{tiers} tiers with enough traffic");
    }

    [Theory]
    [InlineData(AbTestRunner.Random)]
    [InlineData(AbTestRunner.Oracle)]
    public void Identical_arms_differ_by_exactly_zero(string arm)
    {
        var r = AbTestRunner.Run(world.World, arm, arm, Quick with { Traffic = 400, Seeds = 2 });
        Assert.NotEmpty(r.Segments);
        foreach (var s in r.Segments)
        {
            Assert.Equal(s.Control, s.Treatment);
            foreach (var (metric, change) in s.Changes)
                if (change.Percent is { } p) Assert.True(p == 0, $"{s.Channel} {s.Slice} {metric}: {p}");
        }
        Assert.True(r.Segment("ads", "all")!.Control.Streams > 0);
    }

    [Fact]
    public void No_arm_spends_more_than_its_half_of_any_budget_even_when_budgets_bind()
    {
        var tight = AbTestRunner.Run(world.World, AbTestRunner.Random, AbTestRunner.Oracle, Quick with { Traffic = 600, BudgetScale = 0.05, Bootstrap = 0 });
        foreach (var arm in new[] { tight.Control, tight.Treatment })
        {
            Assert.True(arm.MaxCampaignOverspend <= 1e-9, $"{arm.Name} overspent a campaign by {arm.MaxCampaignOverspend}");
            Assert.True(arm.Spend <= arm.Budget, $"{arm.Name} spent {arm.Spend} of {arm.Budget}");
            // Budgets bind: most ad opportunities find no campaign with money left today.
            Assert.True(arm.Unfilled > 0, $"{arm.Name}: no unfilled visits at 5% of the budget");
        }
    }

    [Fact]
    public void A_bundle_arm_writes_the_three_outputs_and_a_bundle_from_another_schema_is_refused()
    {
        var bundle = world.Temp("ab-bundle");
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 20), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        var outDir = world.Temp("ab-out");
        (code, var stdout, err) = Cli.Run("abtest", "--world", world.World, "--control", "random", "--treatment", bundle, "--out", outDir,
            "--days", "3", "--traffic", "150", "--bootstrap", "20");
        Assert.True(code == 0, err);
        Assert.Contains("ads: all", stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(Path.GetFileName(bundle), (string?)json["treatment"]!["name"]);
        Assert.Contains("<h2>Ads</h2>", File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Contains("## Ads", File.ReadAllText(Path.Combine(outDir, "report.md")));

        // A model of the camoe world reads content_type, which podcast-world impressions do not carry.
        var camoe = world.Temp("camoe");
        (code, _, err) = Cli.Run("simulate", "--scenario", "camoe", "--impressions", "20000", "--out", camoe);
        Assert.True(code == 0, err);
        var camoeBundle = world.Temp("camoe-bundle");
        (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("camoe.yaml", steps: 5), "--data", Path.Combine(camoe, "dataset.yaml"), "--out", camoeBundle);
        Assert.True(code == 0, err);
        (code, _, err) = Cli.Run("abtest", "--world", world.World, "--control", "random", "--treatment", camoeBundle, "--out", world.Temp("ab-bad"), "--days", "2", "--traffic", "10");
        Assert.Equal(2, code);
        Assert.Contains("content_type", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(19, false)]
    public void The_by_tier_plot_draws_only_tiers_with_at_least_20_streams_in_each_arm(double streams, bool drawn)
    {
        var change = new AbChange(10, 5, 15, null, null, null);
        var changes = Enum.GetValues<AbMetric>().ToDictionary(m => m, _ => change);
        var segments = Enumerable.Range(0, 8)
            .Select(t => new AbSegment("ads", $"tier {t}", new ArmFigures(5000, streams, 40, 60), new ArmFigures(5000, streams + 10, 40, 60), changes))
            .ToList();
        var result = new AbTestResult("world", 42, 55, new AbTestOptions(), new AbArmSummary("a", 0, 100, 60, 0), new AbArmSummary("b", 0, 100, 60, 0), segments, 1);
        var html = AbTestReport.Html(result);
        Assert.Equal(drawn, html.Contains("data:image/png;base64,", StringComparison.Ordinal));
        Assert.Equal(!drawn, AbTestReport.Markdown(result).Contains("tier 3 \u2020", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("missing world", "--world", "/nonexistent/world")]
    [InlineData("zero traffic", "--traffic", "0")]
    [InlineData("unknown arm", "--treatment", "champion")]
    [InlineData("one seed with seed intervals", "--seed-intervals", "")]
    [InlineData("zero budget", "--budget-scale", "0")]
    public void Bad_input_exits_2_with_one_line(string what, string option, string value)
    {
        var args = new Dictionary<string, string>
        {
            ["--world"] = world.World, ["--control"] = "random", ["--treatment"] = "oracle", ["--out"] = world.Temp("ab-bad"), ["--days"] = "2", ["--traffic"] = "10",
        };
        args[option] = value;
        var argv = args.SelectMany(kv => kv.Value == "" ? new[] { kv.Key } : new[] { kv.Key, kv.Value }).ToArray();
        var (code, _, err) = Cli.Run(["abtest", .. argv]);
        Assert.True(code == 2, $"{what}: exit {code}, {err}");
        Assert.Single(err.Trim().Split('\n'));
    }
}
