using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Cli.Tests;

/// <summary>`init` on the Adult slice in data/samples/adult-slice (the first 1,000 / 500 lines of UCI Adult).</summary>
public sealed class InitCommandTests : IDisposable
{
    private const string Labels = "income:class=>50K,never_married:marital-status=Never-married";

    private const string ModelYaml = """
        name: adult-tiny
        encoder: { hidden: [16] }
        tasks:
          - { name: income, label: income, tower: [8] }
          - { name: never_married, label: never_married, tower: [8] }
        sampling: { mode: natural }
        training: { epochs: 1, batch_size: 128, warmup_steps: 0, seed: 1 }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crossfeed-init-" + Guid.NewGuid().ToString("N"));

    public InitCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string Slice(string file)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "data", "samples", "adult-slice", file);
            if (File.Exists(p)) return p;
        }
        Assert.Fail($"cannot find data/samples/adult-slice above {AppContext.BaseDirectory}");
        return "";
    }

    [Fact]
    public void Init_on_the_adult_slice_writes_a_yaml_that_trains_without_edits()
    {
        var yaml = Path.Combine(_dir, "adult.yaml");
        var (code, stdout, err) = Cli.Run("init", "--from", Slice("adult.data"), "--test", Slice("adult.test"), "--labels", Labels, "--out", yaml);
        Assert.True(code == 0, err);
        Assert.Contains("split: train = the first 900 rows of adult.data, val = its last 100, test = the 500 rows of adult.test", stdout);
        Assert.Contains("capital-gain: many zeros: piecewise_linear", stdout);
        var text = File.ReadAllText(yaml);
        Assert.DoesNotContain("name: \"marital-status\"", text); // it gives a label, so it is not a feature
        Assert.DoesNotContain("name: \"class\"", text);

        // adult.test writes ">50K." where adult.data writes ">50K": both must count as positives.
        var data = DatasetLoader.Load(DatasetConfigLoader.Load(yaml));
        Assert.Contains(1f, data.Train.Labels["income"]);
        Assert.Contains(1f, data.Test.Labels["income"]);
        Assert.Equal(NumericEncoding.PiecewiseLinear, data.Preprocessor.Feature("capital-gain").Encoding);

        var model = Path.Combine(_dir, "model.yaml");
        File.WriteAllText(model, ModelYaml);
        var train = Cli.Run("train", "--config", model, "--data", yaml, "--out", Path.Combine(_dir, "bundle"));
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("data: train 900 rows, val 100, test 500", train.Out);
    }

    [Fact]
    public void Bad_init_input_exits_2_with_one_line_naming_the_file_column_or_option()
    {
        var yaml = Path.Combine(_dir, "x.yaml");
        var missing = Path.Combine(_dir, "nowhere.csv");
        var garbage = Path.Combine(_dir, "garbage.parquet");
        File.WriteAllBytes(garbage, [0x50, 0x41, 0x52, 0x31, 0x00, 0xFF, 0x13, 0x07]);
        (string[] Args, string Mention)[] cases =
        [
            (["--from", missing, "--labels", "click"], "nowhere.csv: file not found"),
            (["--from", Slice("adult.data"), "--labels", "salary=>50K"], "no column 'salary'"),
            (["--from", Slice("adult.data"), "--labels", "class"], "name the positive value, e.g. class="),
            (["--from", garbage, "--labels", "click"], "garbage.parquet: cannot read the file"),
            (["--from", Slice("adult.data"), "--labels", "class=>50K", "--split", "workclass"], "--split: "),
            (["--from", Slice("adult.data"), "--labels", "class=>50K", "--split", "age", "--test", Slice("adult.test")], "not both"),
        ];
        foreach (var (args, mention) in cases)
        {
            var (code, _, err) = Cli.Run(["init", .. args, "--out", yaml]);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {err}");
            Assert.Contains(mention, err);
            Assert.Single(err.TrimEnd().Split('\n'));
        }
        Assert.False(File.Exists(yaml));
    }
}
