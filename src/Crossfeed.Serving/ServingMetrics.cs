using Prometheus;

namespace Crossfeed.Serving;

/// <summary>
/// The service's Prometheus metrics, in a registry of its own (so two hosts in one process, as in tests,
/// count separately). HTTP requests by route and status and their latency come from prometheus-net's
/// middleware into the same registry; process metrics (resident memory, CPU) are registered too.
/// </summary>
public sealed class ServingMetrics
{
    private readonly Gauge _model;
    private readonly object _modelGate = new();
    private string[]? _modelLabels;

    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        Factory = Metrics.WithCustomRegistry(Registry);
        Candidates = Factory.CreateHistogram("crossfeed_rank_candidates", "Candidates per ranking request.",
            new HistogramConfiguration { Buckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] });
        CachedCandidates = Factory.CreateCounter("crossfeed_rank_candidates_cached_total",
            "Candidates whose encoder output came from the candidate cache (not encoded again); over the sum of crossfeed_rank_candidates, the hit rate.");
        Fallbacks = Factory.CreateCounter("crossfeed_rank_fallbacks_total", "Values scored with a fallback (unknown id, missing feature), summed over requests.");
        Timeouts = Factory.CreateCounter("crossfeed_rank_timeouts_total", "Ranking requests that ran out of time (504).");
        Rejected = Factory.CreateCounter("crossfeed_rank_rejected_total", "Ranking requests turned away because every slot and the queue were full (503).");
        Reloads = Factory.CreateCounter("crossfeed_model_reloads_total", "Model loads by result: accepted (now serving) or refused (corrupt or incompatible; the previous model kept serving).",
            new CounterConfiguration { LabelNames = ["result"] });
        _model = Factory.CreateGauge("crossfeed_model_info", "The model being served (value 1), by name and version (SHA-256 of manifest.json).",
            new GaugeConfiguration { LabelNames = ["name", "version"] });
    }

    public CollectorRegistry Registry { get; }
    public IMetricFactory Factory { get; }
    public Histogram Candidates { get; }
    public Counter CachedCandidates { get; }
    public Counter Fallbacks { get; }
    public Counter Timeouts { get; }
    public Counter Rejected { get; }
    public Counter Reloads { get; }

    /// <summary>Marks <paramref name="model"/> as the one serving: only the current model has a series.</summary>
    public void Serving(ServedModel model)
    {
        lock (_modelGate)
        {
            if (_modelLabels is { } old) _model.RemoveLabelled(old);
            _modelLabels = [model.Name, model.Version];
            _model.WithLabels(_modelLabels).Set(1);
        }
    }
}
