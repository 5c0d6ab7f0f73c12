using System.Globalization;

namespace Crossfeed.Simulation;

/// <summary>What a simulation produced: volumes, label rates, oracle APs on the test days, shares. Plain data.</summary>
public sealed record SimulationSummary(
    string OutputDirectory,
    IReadOnlyList<string> Files,
    Scenario Scenario,
    int Seed,
    long Impressions,
    IReadOnlyDictionary<string, long> BySource,
    IReadOnlyDictionary<string, long> ByModality,
    IReadOnlyDictionary<string, long> BySlot,
    IReadOnlyList<long> ByTier,
    IReadOnlyList<LabelRate> Rates,
    int TestFromDay,
    IReadOnlyList<OracleAp> OracleAps,
    double LessStreamedAdShareTest,
    double NewShowShare,
    double ElapsedSeconds)
{
    /// <summary>Ad impressions per promotion impression.</summary>
    public double AdsPerPromotion =>
        BySource.GetValueOrDefault("promotion") == 0 ? double.PositiveInfinity : (double)BySource.GetValueOrDefault("ad") / BySource["promotion"];

    public LabelRate? Rate(string label, string source) => Rates.FirstOrDefault(r => r.Label == label && r.Source == source);

    public OracleAp? Oracle(string label, string source) => OracleAps.FirstOrDefault(r => r.Label == label && r.Source == source);

    /// <summary>A plain-text rendering, one line per item (no console code).</summary>
    public IReadOnlyList<string> ToLines()
    {
        var inv = CultureInfo.InvariantCulture;
        string Pct(double v) => (100 * v).ToString("0.00", inv) + "%";
        string Counts(IReadOnlyDictionary<string, long> d) => string.Join(", ", d.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", inv)} ({Pct((double)kv.Value / Math.Max(1, Impressions))})"));
        var lines = new List<string>
        {
            $"simulated {Scenario.ToString().ToLowerInvariant()} world, seed {Seed}: {Impressions.ToString("N0", inv)} impressions in {ElapsedSeconds.ToString("0.0", inv)} s -> {OutputDirectory}",
            $"files: {string.Join(", ", Files)}",
            $"by source: {Counts(BySource)}; ads per promotion {AdsPerPromotion.ToString("0.00", inv)}",
            $"by modality: {Counts(ByModality)}",
            $"by slot: {Counts(BySlot)}",
            $"by tier: {string.Join(", ", ByTier.Select((n, t) => $"{t}: {n.ToString("N0", inv)}"))}",
            $"shows launched during the window: {Pct(NewShowShare)}",
            $"ad impressions on less-streamed shows (< 5,000 streams/30d) in the test days: {Pct(LessStreamedAdShareTest)}",
            "label rates (observed rows, positive rate, mean true probability):",
        };
        foreach (var r in Rates)
            lines.Add($"  {r.Label,-7} {r.Source,-10} n {r.Observed.ToString("N0", inv),11}  rate {Pct(r.Rate),7}  mean p {Pct(r.MeanProbability),7}");
        lines.Add($"oracle AP on the test days (day >= {TestFromDay}):");
        foreach (var o in OracleAps)
            lines.Add($"  {o.Label,-7} {o.Source,-10} n {o.N.ToString("N0", inv),11}  positives {o.Positives.ToString("N0", inv),9}  AP {(o.Ap is { } ap ? ap.ToString("0.0000", inv) : "n/a")}");
        return lines;
    }
}
