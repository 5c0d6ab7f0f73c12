using System.Text.Json.Nodes;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;
using DuckDB.NET.Data;

namespace Crossfeed.Cli.Tests;

public class EvaluateCommandTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    private string TrainedBundle()
    {
        var bundle = world.Temp("bundle");
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 40), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        return bundle;
    }

    [Fact]
    public void Evaluate_writes_metrics_json_in_the_documented_shape_and_a_self_contained_report()
    {
        var bundle = TrainedBundle();
        var outDir = world.Temp("eval");
        var (code, stdout, err) = Cli.Run("evaluate", "--model", bundle, "--data", world.Dataset, "--out", outDir, "--bootstrap", "50");
        Assert.True(code == 0, err);
        Assert.Contains("AP by popularity tier", stdout);
        var m = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        foreach (var task in new[] { "promo_stream", "ad_stream", "click", "like", "follow" })
        {
            var t = m["tasks"]![task]!;
            foreach (var key in new[] { "ap", "auc", "logloss", "ece", "n", "positives", "oracle_ap" }) Assert.NotNull(t[key]);
            Assert.NotNull(m["by_tier"]![task]!["0"]!["n"]);
            Assert.NotNull(m["less_streamed"]![task]!["n"]);
        }
        Assert.NotNull(m["by_source"]!["ad"]!["click"]!["ap"]);
        // The promotion head is also scored on ads (where the stream label exists): the paper's "used to score ads too".
        Assert.NotNull(m["by_source"]!["ad"]!["promo_stream"]);
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("data:image/png;base64,", html);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void Calibrate_stores_temperatures_that_evaluate_and_score_apply()
    {
        var bundle = TrainedBundle();
        var impressions = Path.Combine(world.World, "impressions.parquet");
        // Logits of the uncalibrated bundle, by impression id, before calibrate touches the manifest.
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        string[] tasks;
        using (var uncalibrated = Bundle.Load(bundle))
        {
            Assert.All(uncalibrated.Temperatures, t => Assert.Equal(1f, t));
            tasks = uncalibrated.Model.Tasks.Select(t => t.Name).ToArray();
            var rows = DatasetLoader.Encode(uncalibrated.Dataset, uncalibrated.Preprocessor, impressions);
            var z = uncalibrated.PredictLogits(rows);
            var ids = rows.Keys["impression_id"];
            for (int i = 0; i < rows.Count; i++) logits.Add(ids[i]!, z.Select(task => task[i]).ToArray());
        }

        var (code, stdout, err) = Cli.Run("calibrate", "--model", bundle);
        Assert.True(code == 0, err);
        Assert.Contains("ECE before", stdout);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "manifest.json")))!;
        Assert.Equal("temperature", manifest["calibration"]!["method"]!.GetValue<string>());
        var temps = manifest["calibration"]!["temperatures"]!.AsArray().Select(t => t!.GetValue<float>()).ToArray();
        Assert.Equal(tasks.Length, temps.Length);
        Assert.Contains(temps, t => Math.Abs(t - 1) > 1e-3);

        var scored = Path.Combine(world.Temp("scored"), "scores.parquet");
        (code, _, err) = Cli.Run("score", "--model", bundle, "--in", impressions, "--out", scored);
        Assert.True(code == 0, err);
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT impression_id, {string.Join(", ", tasks.Select(t => $"\"{t}\""))} FROM read_parquet('{scored}')";
        int checkedRows = 0, movedByTemperature = 0;
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var z = logits[r.GetString(0)];
                for (int k = 0; k < tasks.Length; k++)
                {
                    double calibrated = 1 / (1 + Math.Exp(-z[k] / (double)temps[k]));
                    double raw = 1 / (1 + Math.Exp(-(double)z[k]));
                    Assert.True(Math.Abs(r.GetFloat(1 + k) - calibrated) < 1e-6,
                        $"{tasks[k]}: scored {r.GetFloat(1 + k)}, sigmoid(logit {z[k]} / T {temps[k]}) = {calibrated}, uncalibrated {raw}");
                    if (Math.Abs(calibrated - raw) > 1e-3) movedByTemperature++;
                }
                checkedRows++;
            }
        Assert.Equal(logits.Count, checkedRows);
        Assert.True(movedByTemperature > checkedRows / 10, $"only {movedByTemperature} scores are moved by the temperatures: the check would not see them");

        var outDir = world.Temp("eval");
        Assert.Equal(0, Cli.Run("evaluate", "--model", bundle, "--data", world.Dataset, "--out", outDir, "--bootstrap", "0").Code);
        var m = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.True(m["calibrated"]!.GetValue<bool>());
        Assert.NotNull(m["uncalibrated_ece"]);
    }

    [Fact]
    public void Ap_in_metrics_json_equals_ap_recomputed_from_the_scored_file()
    {
        var bundle = TrainedBundle();
        var outDir = world.Temp("eval");
        Assert.Equal(0, Cli.Run("evaluate", "--model", bundle, "--data", world.Dataset, "--out", outDir, "--bootstrap", "0").Code);
        var scored = Path.Combine(world.Temp("scored"), "scores.parquet");
        var impressions = Path.Combine(world.World, "impressions.parquet");
        var (code, _, err) = Cli.Run("score", "--model", bundle, "--in", impressions, "--out", scored);
        Assert.True(code == 0, err);

        var test = DatasetConfigLoader.Load(world.Dataset).Split.Ranges![SplitName.Test];
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        // test-day creatives mostly launched after the training days: the report says so
        Assert.Contains(metrics["warnings"]!.AsArray(), w => w!.GetValue<string>().StartsWith("creative_id: ", StringComparison.Ordinal)
                                                             && w.GetValue<string>().Contains("consider id_dropout", StringComparison.Ordinal));
        foreach (var (task, source) in new[] { ("promo_stream", "promotion"), ("ad_stream", "ad") })
        {
            using var db = new DuckDBConnection("DataSource=:memory:");
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"""
                SELECT s.{task}, i.stream FROM read_parquet('{scored}') s
                JOIN read_parquet('{impressions}') i ON CAST(i.impression_id AS VARCHAR) = s.impression_id
                WHERE i.day >= {test.From} AND i.day < {test.To} AND i.source = '{source}' AND i.stream IS NOT NULL
                """;
            var scores = new List<float>();
            var labels = new List<int>();
            using (var r = cmd.ExecuteReader())
                while (r.Read())
                {
                    scores.Add(r.GetFloat(0));
                    labels.Add(Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
                }
            Assert.Equal(metrics["tasks"]![task]!["n"]!.GetValue<long>(), scores.Count);
            Assert.Equal(metrics["tasks"]![task]!["ap"]!.GetValue<double>(), IndependentAp(scores, labels), 9);
        }
    }

    /// <summary>AP written out again from its definition (sum over distinct thresholds of recall gain times precision).</summary>
    private static double IndependentAp(List<float> scores, List<int> labels)
    {
        var pairs = scores.Zip(labels).OrderByDescending(p => p.First).ToList();
        double positives = labels.Sum(), tp = 0, ap = 0;
        int seen = 0;
        foreach (var group in pairs.GroupBy(p => p.First))
        {
            var gain = group.Sum(p => p.Second);
            tp += gain;
            seen += group.Count();
            ap += gain / positives * (tp / seen);
        }
        return ap;
    }
}

public class RealSampleCommandTests
{
    [Fact]
    public void The_ali_ccp_sample_trains_evaluates_and_says_200_rows_support_no_conclusion()
    {
        var configs = Crossfeed.Cli.Commands.DemoCommand.ConfigsDir();
        var data = Path.Combine(configs, "ali-ccp-sample.yaml");
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-ali-{Guid.NewGuid():N}");
        try
        {
            var (code, _, err) = Cli.Run("train", "--config", Path.Combine(configs, "ali-ccp-model.yaml"), "--data", data, "--out", Path.Combine(dir, "bundle"));
            Assert.True(code == 0, err);
            var (evalCode, stdout, evalErr) = Cli.Run("evaluate", "--model", Path.Combine(dir, "bundle"), "--data", data, "--out", Path.Combine(dir, "eval"));
            Assert.True(evalCode == 0, evalErr);
            Assert.Contains("support no conclusion", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "eval", "report.html")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

public class DemoCommandTests
{
    [Fact]
    public void Demo_runs_the_whole_story_and_prints_the_table_1_and_tier_comparisons()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-demo-{Guid.NewGuid():N}");
        try
        {
            var (code, stdout, err) = Cli.Run("demo", "--out", dir, "--impressions", "40000");
            Assert.True(code == 0, err);
            Assert.Contains("promotions AP (stream on promotions)", stdout);
            Assert.Contains("ads AP by popularity tier", stdout);
            Assert.True(File.Exists(Path.Combine(dir, "eval-joint", "report.html")));
            Assert.True(File.Exists(Path.Combine(dir, "promo-only", "manifest.json")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}

public class ExperimentCommandTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    [Fact]
    public void An_unknown_suite_exits_2_naming_the_known_ones()
    {
        var (code, _, err) = Cli.Run("experiment", "no-such-suite", "--data", world.Dataset, "--out", world.Temp("x"));
        Assert.Equal(2, code);
        Assert.Contains("paper-table1", err);
    }

    [Fact]
    public void A_quick_masking_suite_writes_results_json_with_every_variant()
    {
        var outDir = world.Temp("xp");
        var (code, stdout, err) = Cli.Run("experiment", "masking", "--data", world.Dataset, "--out", outDir, "--quick");
        Assert.True(code == 0, err);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal("masking", results["suite"]!.GetValue<string>());
        Assert.Equal(3, results["variants"]!.AsArray().Count);
        Assert.Contains("directional", stdout);
    }

    [Fact]
    public void Variants_option_runs_the_baseline_and_the_named_variants_and_an_unknown_name_exits_2()
    {
        var outDir = world.Temp("xp-only");
        var (code, stdout, err) = Cli.Run("experiment", "masking", "--data", world.Dataset, "--out", outDir, "--quick", "--variants", "isolation");
        Assert.True(code == 0, err);
        Assert.Contains("variants: directional, isolation (baseline directional)", stdout);
        var results = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(["directional", "isolation"], results["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));

        (code, _, err) = Cli.Run("experiment", "masking", "--data", world.Dataset, "--out", world.Temp("xp-bad"), "--variants", "isolaton");
        Assert.Equal(2, code);
        Assert.Contains("no variant 'isolaton'", err);
    }
}
