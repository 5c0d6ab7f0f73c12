using Crossfeed.Core;

namespace Crossfeed.Data.Tests;

/// <summary>
/// The real public samples shipped in data/samples (origin and licence in its README), read in place
/// through the same generic loader as any dataset.
/// </summary>
public sealed class RealSampleTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "configs", "ali-ccp-sample.yaml"))) return d.FullName;
        Assert.Fail($"cannot find the repository's configs/ folder above {AppContext.BaseDirectory}");
        return "";
    }

    private static DatasetConfig Config(string name)
    {
        return DatasetConfigLoader.Load(Path.Combine(RepoRoot(), "configs", name));
    }

    [Fact]
    public void Ali_ccp_sample_loads_from_its_pre_split_files()
    {
        var cfg = Config("ali-ccp-sample.yaml");
        var ds = DatasetLoader.Load(cfg);
        Assert.Equal([100, 50, 50], new[] { ds.Train.Count, ds.Val.Count, ds.Test.Count });
        Assert.Equal(["1", "2", "3"], cfg.Source.Values);
        Assert.Equal([69, 19, 12], Enumerable.Range(0, 3).Select(s => ds.Train.Source.Count(x => x == s)));
        Assert.Equal(7f, ds.Train.Labels["click"].Sum());
        Assert.Equal(1f, ds.Train.Labels["purchase"].Sum());
        foreach (var s in new[] { ds.Train, ds.Val, ds.Test })
        {
            Assert.All(s.Labels["click"].Zip(s.Labels["purchase"]), p => Assert.True(p.Second <= p.First));
            Assert.Equal(23, s.Ids.Count);
            Assert.Equal(8, s.Dense.Count);
        }
        Assert.Equal(2 + 3, ds.Preprocessor.TableRows("301"));
        // Field 121 holds the single value 1 in train: one vocabulary row after padding and OOV.
        Assert.Equal(3, ds.Preprocessor.TableRows("121"));
        Assert.All(ds.Train.Dense["D508"], v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Byterec_sample_loads_with_a_temporal_quantile_split()
    {
        var cfg = Config("byterec-sample.yaml");
        var ds = DatasetLoader.Load(cfg);
        Assert.Equal([140, 30, 30], new[] { ds.Train.Count, ds.Val.Count, ds.Test.Count });
        Assert.Equal([107, 30, 1, 2], Enumerable.Range(0, 4).Select(s => ds.Train.Source.Count(x => x == s)));
        Assert.Equal(57f, ds.Train.Labels["finish"].Sum());
        Assert.Equal(4f, ds.Train.Labels["like"].Sum());
        // Time order: the last train row is earlier than the first val row.
        Assert.True(ds.Report.CutPoints[0] < ds.Report.CutPoints[1]);
        Assert.Contains("-1", ds.Preprocessor.TableOf("user_city").Vocabulary);
        Assert.Equal(ds.Preprocessor.CategoryId("user_city", -1), ds.Train.Ids["user_city"][Array.IndexOf(ds.Train.Keys["uid"], "38008")]);
    }
}
