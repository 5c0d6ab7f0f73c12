using System.Collections;
using System.Diagnostics;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Experiments;
using Crossfeed.Simulation;
using Crossfeed.Training;
using Crossfeed.Training.Ranking;
using DuckDB.NET.Data;
using TorchSharp;

namespace Crossfeed.Performance;

/// <summary>
/// In-process latency of one ranking request (one user and context against N candidates, raw values in,
/// calibrated probabilities of every task out): the factorised ranker, the plain ranker (the user row
/// repeated per candidate) and ML.NET LightGBM (one model per task, the peer .NET teams deploy) on the same
/// candidates, each including the encoding of the raw values. The models are trained briefly on a small
/// simulated world: latency depends on the network's shape, not on how well it is trained.
/// </summary>
public static class ScoreBenchmark
{
    public const int WarmUp = 20;

    /// <summary>Candidates the cached ranker keeps (more than the largest request, so the warm requests all hit).</summary>
    public const int CacheCapacity = 10_000;

    /// <param name="scenario">The simulated world the models are trained on; its dataset must be the one the config was written for.</param>
    public static ScoreBenchResult Run(string configPath, Scenario scenario, long impressions, int trainingSteps, int repetitions, IReadOnlyList<int> sizes, TextWriter log)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-bench-score-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        try
        {
            log.WriteLine($"bench score: simulating {impressions:N0} impressions ({scenario.ToString().ToLowerInvariant()} world)...");
            Simulator.Run(WorldConfig.ForScenario(scenario, impressions, seed: 7), dir);
            var dataset = DatasetConfigLoader.Load(Path.Combine(dir, "dataset.yaml"));
            var loaded = ModelConfigLoader.Load(configPath, dataset);
            var config = loaded with { Training = loaded.Training with { Epochs = 1, MaxStepsPerEpoch = trainingSteps } };
            var data = DatasetLoader.Load(dataset);
            log.WriteLine($"bench score: training {config.Name} ({config.Architecture}) for {trainingSteps} steps...");
            using var model = Trainer.Fit(config, dataset, data.Train, data.Val, data.Preprocessor, new TrainOptions());
            log.WriteLine($"bench score: training {config.Tasks.Count} LightGBM models (100 trees each)...");
            var peers = config.Tasks.Select(t => LightGbmPeer.Fit(new ExperimentMetric(t.Name, t.Label, t.Sources[0], t.Scope), dataset, data.Train, data.Val,
                config.FeatureGroups, config.ExcludeFeatures, new LightGbmPeerOptions { Iterations = 100, EarlyStoppingRounds = 0, Pooled = true })).ToArray();

            var rows = Read(Path.Combine(dir, "impressions.parquet"), sizes.Max());
            var factorised = new CandidateRanker(model);
            var plain = new CandidateRanker(model, factorised: false);
            using var cached = new CandidateRanker(model, cacheCapacity: CacheCapacity);
            var encoder = new ValueEncoder(dataset, data.Preprocessor);
            var cases = new List<ScoreBenchCase>();
            var ratios = new List<ScoreBenchRatio>();
            foreach (var n in sizes)
            {
                var input = Request(dataset, rows, n);
                // LightGBM reads one flat row per candidate: the user and context values next to the candidate's.
                var flat = input.Candidates.Select(c => (IReadOnlyDictionary<string, object?>)input.User.Concat(input.Context).Concat(c.Features).ToDictionary()).ToArray();
                var sources = input.Candidates.Select(c => encoder.SourceIndex(c.Source)).ToArray();
                var all = Enumerable.Range(0, n).ToArray();
                var scorers = new (string Name, Action Score)[]
                {
                    ("factorised", () => factorised.Score(input)),
                    ("plain", () => plain.Score(input)),
                    ("factorised, candidates cached", () => cached.Score(input)),
                    ("LightGBM (ML.NET)", () =>
                    {
                        var split = encoder.Encode(flat, sources);
                        foreach (var peer in peers) LightGbmPeer.Score(peer, split, all);
                    }),
                };
                log.WriteLine($"bench score: {n} candidates, {repetitions} repetitions per scorer...");
                // The network's scorers take turns; LightGBM is timed after them, on its own: its OpenMP threads keep
                // spinning on both cores for a while after each call and slowed whichever scorer came next.
                var times = Time(scorers[..^1], repetitions).Concat(Time(scorers[^1..], repetitions)).ToArray();
                var summary = scorers.Select((s, i) => Summarise(s.Name, n, times[i])).ToArray();
                cases.AddRange(summary);
                ratios.Add(new ScoreBenchRatio(n, summary[1].P50Ms / summary[0].P50Ms, summary[1].P50Ms / summary[2].P50Ms, summary[3].P50Ms / summary[0].P50Ms));
            }
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            return new ScoreBenchResult(configPath, config.Architecture.ToString(), config.Tasks.Count, impressions, trainingSteps, cases, ratios,
                self.WorkingSet64, self.PeakWorkingSet64, torch.get_num_threads(), LoadAverage());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// One request: the first row's user and context features shared by n candidates made of the content and
    /// creative features of the first n rows (promotions and ads as the log mixes them).
    /// </summary>
    private static RankInput Request(DatasetConfig dataset, List<Dictionary<string, object?>> rows, int n)
    {
        var groups = dataset.Features.ToDictionary(f => f.Column, f => f.Group);
        Dictionary<string, object?> Part(Dictionary<string, object?> row, Func<FeatureGroup, bool> keep) =>
            row.Where(kv => groups.TryGetValue(kv.Key, out var g) && keep(g)).ToDictionary();
        var candidates = rows.Take(n).Select((r, i) => new RankCandidate($"c{i}", (string)r[dataset.Source.Column]!,
            Part(r, g => g is FeatureGroup.Content or FeatureGroup.Creative))).ToArray();
        return new RankInput(Part(rows[0], g => g == FeatureGroup.User), Part(rows[0], g => g == FeatureGroup.Context), candidates);
    }

    /// <summary>Milliseconds per scorer; the scorers take turns within each repetition so drift in machine load hits them alike.</summary>
    private static double[][] Time((string Name, Action Score)[] scorers, int repetitions)
    {
        var times = scorers.Select(_ => new double[repetitions]).ToArray();
        for (int r = -WarmUp; r < repetitions; r++)
            for (int s = 0; s < scorers.Length; s++)
            {
                var clock = Stopwatch.StartNew();
                scorers[s].Score();
                if (r >= 0) times[s][r] = clock.Elapsed.TotalMilliseconds;
            }
        return times;
    }

    internal static ScoreBenchCase Summarise(string name, int n, double[] ms)
    {
        var sorted = ms.Order().ToArray();
        double Quantile(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new ScoreBenchCase(name, n, Quantile(0.5), Quantile(0.99), ms.Length);
    }

    private static List<Dictionary<string, object?>> Read(string parquet, int n)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM read_parquet('{parquet.Replace("'", "''", StringComparison.Ordinal)}') LIMIT {n}";
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (r.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            // Lists as arrays, as the service hands them over (FeatureValues).
            for (int c = 0; c < r.FieldCount; c++) row[r.GetName(c)] = r.IsDBNull(c) ? null : r.GetValue(c) is IList list and not Array ? ToArray(list) : r.GetValue(c);
            rows.Add(row);
        }
        return rows;
    }

    private static Array ToArray(IList list)
    {
        var array = Array.CreateInstance(list.GetType().GetGenericArguments()[0], list.Count);
        list.CopyTo(array, 0);
        return array;
    }

    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(" ", File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
    }
}
