using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Simulation;
using Crossfeed.Training;

namespace Crossfeed.AbTest;

/// <summary>
/// Runs a budget-split A/B test in a simulated world (docs/abtest.md): per replay, the visits are drawn once
/// and both arms serve them, each with half of every budget; outcomes use common random numbers.
/// </summary>
public static class AbTestRunner
{
    public const string Oracle = "oracle";
    public const string Random = "random";

    public static AbTestResult Run(string worldDir, string control, string treatment, AbTestOptions options, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var world = LoadWorld(worldDir);
        int firstDay = world.Config.Days - options.Days;
        if (firstDay < 0) throw new BadInputException($"--days {options.Days}: the world has only {world.Config.Days} days");
        if (firstDay < world.Config.TrainEndDay)
            progress?.Report($"note: the test days {firstDay}-{world.Config.Days - 1} include training days (training ends at day {world.Config.TrainEndDay}); models have seen those days' log");

        var models = new List<TrainedModel>();
        try
        {
            var a = Open(control, "--control", world, models);
            var b = Open(treatment, "--treatment", world, models);
            var runs = new List<(ArmRun Control, ArmRun Treatment)>();
            for (int k = 0; k < options.Seeds; k++)
            {
                int seed = options.FirstSeed + k;
                var visits = VisitPlan.Draw(world, options, seed, firstDay);
                var arms = (new ArmRun(world, options, a, seed, firstDay), new ArmRun(world, options, b, seed, firstDay));
                // The arms share nothing but the world (read-only) and the visits: run them side by side.
                Parallel.Invoke(new ParallelOptions { CancellationToken = ct },
                    () => Replay(arms.Item1, visits, ct),
                    () => Replay(arms.Item2, visits, ct));
                runs.Add(arms);
                progress?.Report($"replay {k + 1}/{options.Seeds} (seed {seed}) done after {clock.Elapsed.TotalSeconds:F0} s");
            }
            var segments = AbTestAnalysis.Segments(runs.Select((r, k) => (options.FirstSeed + k, r.Control.Impressions, r.Treatment.Impressions)).ToList(), options.Bootstrap);
            return new AbTestResult(Path.GetFullPath(worldDir), firstDay, world.Config.Days - 1, options,
                Summary(a.Name, runs.Select(r => r.Control)), Summary(b.Name, runs.Select(r => r.Treatment)), segments, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    private static void Replay(ArmRun arm, Visit[][] visits, CancellationToken ct)
    {
        for (int d = 0; d < visits.Length; d++)
        {
            ct.ThrowIfCancellationRequested();
            arm.Day(d, visits[d]);
        }
    }

    private static AbArmSummary Summary(string name, IEnumerable<ArmRun> runs)
    {
        var list = runs.ToList();
        return new AbArmSummary(name, list.Sum(r => (long)r.Unfilled), list.Sum(r => r.TotalBudget),
            list.Sum(r => r.Impressions.Sum(i => i.Cost)), list.Max(r => r.MaxOverspend));
    }

    private static World LoadWorld(string dir)
    {
        if (!Directory.Exists(dir)) throw new BadInputException($"--world {dir}: no such folder (write one with `crossfeed simulate --out {dir}`)");
        if (!File.Exists(Path.Combine(dir, "world.json"))) throw new BadInputException($"--world {dir}: no world.json; is it a folder written by `crossfeed simulate`?");
        return World.Load(dir);
    }

    /// <summary>An arm: `oracle`, `random`, or a bundle folder.</summary>
    private static IArmPolicy Open(string spec, string option, World world, List<TrainedModel> models)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new BadInputException($"{option}: give a bundle folder, '{Oracle}' or '{Random}'");
        if (spec == Oracle) return new OraclePolicy(world);
        if (spec == Random) return new RandomPolicy();
        if (!Directory.Exists(spec)) throw new BadInputException($"{option} {spec}: not '{Oracle}', '{Random}' or a bundle folder");
        var model = Bundle.Load(spec);
        models.Add(model);
        return new ModelPolicy($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(spec))}", model, world);
    }
}
