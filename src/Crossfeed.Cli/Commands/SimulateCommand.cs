using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Crossfeed.Simulation;
using Spectre.Console;

namespace Crossfeed.Cli.Commands;

public static class SimulateCommand
{
    /// <summary>--scenario: which world to simulate, podcast (the default) or camoe; read it with <see cref="ScenarioOf"/>.</summary>
    internal static Option<string> ScenarioOption(string description)
    {
        var scenario = new Option<string>("--scenario") { Description = description, DefaultValueFactory = _ => "podcast" };
        scenario.AcceptOnlyFromAmong("podcast", "camoe");
        return scenario;
    }

    internal static Scenario ScenarioOf(string name) => name == "camoe" ? Scenario.Camoe : Scenario.Podcast;

    public static Command Create(CliContext ctx)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for impressions.parquet (or impressions/ with --shards), the world's tables and dataset.yaml.", Required = true };
        var impressions = new Option<long>("--impressions") { Description = "Number of impressions to generate.", DefaultValueFactory = _ => 1_500_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and options give the same rows.", DefaultValueFactory = _ => 7 };
        var scenario = ScenarioOption("podcast (promotions and ads) or camoe (seven ad slots over audio/video, music/podcast).");
        var knobs = new Option<string[]>("--set")
        {
            Description = "Set a world knob, e.g. --set AdStreamRate=0.003 (repeatable; every knob is in docs/simulator.md; recorded in world.json).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var shards = new Option<int?>("--shards")
        {
            HelpName = "N",
            Description = "Write the log as N Parquet files of whole days, impressions/part-00000.parquet onwards in time order with about equal rows "
                        + "(1 to the number of days, 56 by default), and point dataset.yaml at that folder; the rows are those of the single impressions.parquet.",
            CustomParser = ParseShards,
        };
        var cmd = new Command("simulate", "Generate a simulated podcast world with ground-truth probabilities.") { output, impressions, seed, scenario, knobs, shards };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var config = WorldConfig.ForScenario(ScenarioOf(pr.GetValue(scenario)!), pr.GetValue(impressions), pr.GetValue(seed));
            var set = pr.GetValue(knobs) ?? [];
            config = WorldKnobs.Apply(config, set);
            if (set.Length > 0) ctx.Out.WriteLine($"knobs set: {string.Join(", ", set)}");
            Run(ctx, config, pr.GetValue(output)!.FullName, pr.GetValue(shards));
        }));
        return cmd;
    }

    /// <summary>Simulates <paramref name="config"/> into <paramref name="outDir"/>: one impressions.parquet, or <paramref name="shards"/> shards when given.</summary>
    public static SimulationSummary Run(CliContext ctx, WorldConfig config, string outDir, int? shards = null)
    {
        config.Validate();
        var summary = ctx.WithProgress($"simulate {config.Impressions:N0} impressions", p => shards is { } n
            ? Simulator.Run(config, outDir, n, p, ctx.Cancellation)
            : Simulator.Run(config, outDir, p, ctx.Cancellation));
        Print(ctx, summary);
        return summary;
    }

    /// <summary>
    /// --shards as a whole number, with a message that says what is expected (the default parser names the CLR type);
    /// its range depends on the Days knob, so <see cref="Simulator"/> checks it once the knobs are applied.
    /// </summary>
    private static int? ParseShards(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)) return n;
        result.AddError($"--shards must be a whole number from 1 to the number of days of the log (got '{token}')");
        return null;
    }

    public static void Print(CliContext ctx, SimulationSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        string Pct(double v) => (100 * v).ToString("0.0", inv) + "%";
        ctx.Out.WriteLine($"simulated {s.Scenario.ToString().ToLowerInvariant()} world (seed {s.Seed}): {s.Impressions.ToString("N0", inv)} impressions in {s.ElapsedSeconds.ToString("0.0", inv)} s -> {s.OutputDirectory}");

        var volume = new Table().Title("impressions");
        volume.AddColumns("by", "value", "impressions", "share");
        foreach (var (k, v) in s.BySource) volume.AddPlainRow("source", k, v.ToString("N0", inv), Pct((double)v / s.Impressions));
        foreach (var (k, v) in s.ByModality) volume.AddPlainRow("modality", k, v.ToString("N0", inv), Pct((double)v / s.Impressions));
        for (int t = 0; t < s.ByTier.Count; t++) volume.AddPlainRow("tier", t.ToString(inv), s.ByTier[t].ToString("N0", inv), Pct((double)s.ByTier[t] / s.Impressions));
        ctx.Console.Write(volume);

        var rates = new Table().Title($"labels: positive rate per source, and oracle AP on the test days (day >= {s.TestFromDay})");
        rates.AddColumns("label", "source", "observed", "positive rate", "oracle AP (test)");
        foreach (var r in s.Rates)
        {
            var oracle = s.Oracle(r.Label, r.Source)?.Ap;
            rates.AddPlainRow(r.Label, r.Source, r.Observed.ToString("N0", inv), Pct(r.Rate), oracle is { } ap ? ap.ToString("0.0000", inv) : "n/a");
        }
        ctx.Console.Write(rates);
        ctx.Out.WriteLine($"ads per promotion: {s.AdsPerPromotion.ToString("0.00", inv)}; shows launched during the window: {Pct(s.NewShowShare)}; " +
                          $"test-period ad impressions on less-streamed shows: {Pct(s.LessStreamedAdShareTest)}");
        int shards = s.Files.Count(f => f.StartsWith("impressions" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (shards > 0) ctx.Out.WriteLine($"impression log: {shards} Parquet shards in {Path.Combine(s.OutputDirectory, "impressions")}");
        ctx.Out.WriteLine($"dataset config: {Path.Combine(s.OutputDirectory, "dataset.yaml")}");
    }
}
