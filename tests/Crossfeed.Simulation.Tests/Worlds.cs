namespace Crossfeed.Simulation.Tests;

/// <summary>Small simulated worlds shared by the tests of one collection, generated once.</summary>
public sealed class Worlds : IDisposable
{
    private readonly List<string> _dirs = [];
    private readonly Lazy<(SimulationSummary Summary, string Dir)> _podcast;
    private readonly Lazy<(SimulationSummary Summary, string Dir)> _camoe;
    private readonly Lazy<ParquetTable> _podcastRows;
    private readonly Lazy<ParquetTable> _camoeRows;

    public Worlds()
    {
        PodcastConfig = WorldConfig.ForScenario(Scenario.Podcast, 80_000, 11);
        CamoeConfig = WorldConfig.ForScenario(Scenario.Camoe, 40_000, 5);
        _podcast = new(() => Simulate(PodcastConfig));
        _camoe = new(() => Simulate(CamoeConfig));
        _podcastRows = new(() => ParquetTable.Read(Path.Combine(PodcastDir, "impressions.parquet")));
        _camoeRows = new(() => ParquetTable.Read(Path.Combine(CamoeDir, "impressions.parquet")));
    }

    public WorldConfig PodcastConfig { get; }

    public WorldConfig CamoeConfig { get; }

    public SimulationSummary Podcast => _podcast.Value.Summary;

    public string PodcastDir => _podcast.Value.Dir;

    public ParquetTable PodcastRows => _podcastRows.Value;

    public SimulationSummary Camoe => _camoe.Value.Summary;

    public string CamoeDir => _camoe.Value.Dir;

    public ParquetTable CamoeRows => _camoeRows.Value;

    public string NewDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crossfeed-sim-tests", Guid.NewGuid().ToString("N"));
        lock (_dirs) _dirs.Add(dir);
        return dir;
    }

    public (SimulationSummary Summary, string Dir) Simulate(WorldConfig config)
    {
        var dir = NewDir();
        return (Simulator.Run(config, dir), dir);
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing the run for.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WorldsCollection : ICollectionFixture<Worlds>
{
    public const string Name = "simulated worlds";
}
