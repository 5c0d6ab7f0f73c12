using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Serving.Tests;

/// <summary>The hand-written log of <see cref="FeatureTestLog"/> and its two snapshots (latest, and as of the cut), written once per test class.</summary>
public sealed class FeatureLogFixture : IDisposable
{
    public FeatureLogFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"crossfeed-features-{Guid.NewGuid():N}");
        Dataset = FeatureTestLog.Write(Root);
        var cfg = DatasetConfigLoader.Load(Dataset);
        Latest = Path.Combine(Root, "latest");
        LatestManifest = FeatureSnapshot.Write(cfg, Latest, new SnapshotOptions());
        Assert.True(FeatureSnapshot.TryParseTime(FeatureTestLog.Cut, out var cut));
        AtCut = Path.Combine(Root, "at-cut");
        AtCutManifest = FeatureSnapshot.Write(cfg, AtCut, new SnapshotOptions(AsOf: cut));
    }

    public string Root { get; }
    public string Dataset { get; }
    public string Latest { get; }
    public SnapshotManifest LatestManifest { get; }
    public string AtCut { get; }
    public SnapshotManifest AtCutManifest { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
