using System.Globalization;
using System.Text;
using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Evaluation.Tests;

/// <summary>
/// A tiny podcast-shaped world written as CSV with its dataset YAML (the podcast schema the suites need:
/// sources promotion/ad, labels stream/click/like/follow with truth, tier, streams_30d, modality, slot, content type).
/// Streams depend on a hidden user-genre match and on whether the show is in the user's history, so
/// models can learn it. Loaded once per test class.
/// </summary>
public sealed partial class ExperimentWorld : IDisposable
{
    public const int Impressions = 30_000;

    public const string DatasetYaml = """
        name: experiment-test-world
        input: { path: impressions.csv, format: csv }
        source: { column: source, values: [promotion, ad] }
        time_column: ts
        split: { column: day, train: { from: 0, to: 7 }, val: { from: 7, to: 8 }, test: { from: 8, to: 10 } }
        keys: [impression_id]
        features:
          - { name: user_id, group: user, kind: categorical, embedding_dim: 8, min_count: 2 }
          - { name: country, group: user, kind: categorical, embedding_dim: 4 }
          - { name: history_shows, group: user, kind: categorical_list, share_table: show_id, embedding_dim: 8, max_length: 10 }
          - { name: listening_minutes, group: user, kind: numeric, transform: log1p }
          - { name: show_id, group: content, kind: categorical, embedding_dim: 8 }
          - { name: genre, group: content, kind: categorical, embedding_dim: 4 }
          - { name: topics, group: content, kind: categorical_list, embedding_dim: 4, max_length: 4 }
          - { name: show_embedding, group: content, kind: vector, dim: 4 }
          - { name: hour, group: context, kind: categorical, embedding_dim: 4 }
          - { name: modality, group: context, kind: categorical, embedding_dim: 4 }
          - { name: campaign_id, group: creative, kind: categorical, embedding_dim: 4 }
          - { name: bid_cpm, group: creative, kind: numeric, transform: log1p }
        labels:
          - { name: stream, sources: [promotion, ad], truth: p_stream }
          - { name: click, sources: [promotion, ad], truth: p_click }
          - { name: like, sources: [promotion], truth: p_like }
          - { name: follow, sources: [promotion], truth: p_follow }
        analysis: { tier: show_tier, streams_30d: show_streams_30d, modality: modality, slot: slot, content_type: content_type }
        """;

    public ExperimentWorld()
    {
        Dir = Path.Combine(Path.GetTempPath(), $"crossfeed-xp-world-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "impressions.csv"), Csv(Impressions, seed: 11));
        DatasetPath = Path.Combine(Dir, "dataset.yaml");
        File.WriteAllText(DatasetPath, DatasetYaml);
        Dataset = DatasetConfigLoader.Load(DatasetPath);
        Encoded = DatasetLoader.Load(Dataset);
    }

    public string Dir { get; }
    public string DatasetPath { get; }
    public DatasetConfig Dataset { get; }
    public EncodedDataset Encoded { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Csv(int n, int seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var rng = new Random(seed);
        const int users = 1500, shows = 240, genres = 6;
        var taste = Enumerable.Range(0, users).Select(u => u % genres).ToArray();
        var history = Enumerable.Range(0, users).Select(u =>
        {
            int k = rng.Next(6);
            return Enumerable.Range(0, k).Select(_ => genres * rng.Next(shows / genres) + taste[u]).Distinct().ToArray();
        }).ToArray();
        var embedding = Enumerable.Range(0, shows).Select(s => Enumerable.Range(0, 4).Select(j => (s % genres == j ? 1.0 : 0.0) + rng.NextDouble() * 0.3).ToArray()).ToArray();
        string[] countries = ["se", "us", "de", "br"];
        string[] topicNames = ["news", "comedy", "true-crime", "sports", "tech", "music", "history", "health"];
        var sb = new StringBuilder();
        sb.Append("impression_id,day,ts,source,user_id,country,history_shows,listening_minutes,show_id,genre,topics,show_embedding,hour,modality,slot,content_type,campaign_id,bid_cpm,stream,click,like,follow,p_stream,p_click,p_like,p_follow,show_tier,show_streams_30d\n");
        for (int i = 0; i < n; i++)
        {
            int day = i * 10 / n;
            bool ad = rng.NextDouble() < 0.6;
            int u = rng.Next(users);
            int s = (int)Math.Min(shows - 1, Math.Floor(shows * Math.Pow(rng.NextDouble(), 2)));
            int g = s % genres;
            int tier = Math.Min(7, s / 30);
            double streams = Math.Round(Math.Pow(10, 6 - 0.6 * tier) * (0.5 + rng.NextDouble()));
            bool match = taste[u] == g;
            bool heard = history[u].Contains(s);
            int hour = rng.Next(24);
            string modality = ad ? (rng.NextDouble() < 0.7 ? "audio" : rng.NextDouble() < 0.67 ? "video" : "display") : "display";
            double pStream = Sigmoid(-2.2 + 2.0 * (match ? 1 : 0) + 1.0 * (heard ? 1 : 0) - 0.15 * tier + (ad ? -1.4 : 0) + (hour is >= 6 and <= 9 ? 0.4 : 0));
            double pClick = Sigmoid(-3.0 + 1.5 * (match ? 1 : 0) + (ad ? -0.3 : 0));
            double pLike = Sigmoid(-3.0 + 1.6 * (match ? 1 : 0));
            double pFollow = Sigmoid(-3.4 + 1.2 * (match ? 1 : 0) + 1.0 * (heard ? 1 : 0));
            int stream = rng.NextDouble() < pStream ? 1 : 0;
            int click = rng.NextDouble() < pClick ? 1 : 0;
            int like = rng.NextDouble() < pLike ? 1 : 0;
            int follow = rng.NextDouble() < pFollow ? 1 : 0;
            var hist = "\"[" + string.Join(", ", history[u].Select(h => $"s{h}")) + "]\"";
            var topics = "\"[" + topicNames[g] + ", " + topicNames[(g + 1 + s % 2) % topicNames.Length] + "]\"";
            var emb = "\"[" + string.Join(", ", embedding[s].Select(x => x.ToString("F3", inv))) + "]\"";
            sb.Append(string.Join(",",
                i.ToString(inv), day.ToString(inv), (day * 86_400 + i % 86_400).ToString(inv), ad ? "ad" : "promotion",
                $"u{u}", countries[u % countries.Length], hist, (rng.NextDouble() * 600).ToString("F1", inv),
                $"s{s}", $"g{g}", topics, emb, hour.ToString(inv), modality, ad ? $"{modality}-{(i % 2 == 0 ? "pre" : "mid")}" : "home-shelf", s % 3 == 0 ? "music" : "podcast",
                ad ? $"c{rng.Next(40)}" : "", ad ? (1 + rng.NextDouble() * 20).ToString("F2", inv) : "",
                stream.ToString(inv), click.ToString(inv), ad ? "" : like.ToString(inv), ad ? "" : follow.ToString(inv),
                pStream.ToString("R", inv), pClick.ToString("R", inv), pLike.ToString("R", inv), pFollow.ToString("R", inv),
                tier.ToString(inv), streams.ToString(inv)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
