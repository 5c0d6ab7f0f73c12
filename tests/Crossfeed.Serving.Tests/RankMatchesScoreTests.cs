using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Crossfeed.Cli;
using Crossfeed.Core;
using Crossfeed.Training;

namespace Crossfeed.Serving.Tests;

/// <summary>
/// The real service end to end: `serve`'s own ranker (<see cref="ServingWiring.Ranker"/>, factorised) behind
/// Kestrel on a loopback port answers one user against many candidates with the probabilities `score` writes
/// for the same rows.
/// </summary>
[Collection(ServeBundleCollection.Name)]
public sealed class RankMatchesScoreTests(ServeBundleFixture fixture)
{
    private const int Rows = 40;

    /// <param name="placementPerCandidate">
    /// false: one context for the request (factorised scoring); true: every row keeps its own context columns
    /// (slot, modality, layout, hour, ...) and each candidate gives them (the plain path).
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rank_over_http_returns_the_score_commands_probabilities_for_the_same_rows(bool placementPerCandidate)
    {
        var dir = Path.Combine(fixture.Root, $"rank-vs-score-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using var trained = Bundle.Load(fixture.Bundle);
        var dataset = trained.Dataset;
        var groups = dataset.Features.ToDictionary(f => f.Column, f => f.Group);
        bool InRequest(FeatureGroup g) => g == FeatureGroup.User || g == FeatureGroup.Context && !placementPerCandidate;
        var shared = groups.Where(kv => InRequest(kv.Value)).Select(kv => kv.Key).ToArray();

        // The first rows of each source of the log, interleaved (promotion, ad, promotion, ...), each given the
        // first row's user (and context, unless per candidate): one request's worth of rows with both kinds of candidates.
        var log = Path.Combine(fixture.Root, "world", "impressions.parquet");
        var rows = Path.Combine(dir, "rows.parquet");
        var first = $"SELECT *, row_number() OVER (PARTITION BY {dataset.Source.Column} ORDER BY ts, impression_id) AS __n FROM read_parquet('{log}')";
        DuckRows.Query($"""
            COPY (SELECT * EXCLUDE (__n) REPLACE ({string.Join(", ", shared.Select(c => $"f.\"u_{c}\" AS \"{c}\""))})
                  FROM (SELECT * FROM ({first}) WHERE __n <= {Rows / 2}) t,
                       (SELECT {string.Join(", ", shared.Select(c => $"\"{c}\" AS \"u_{c}\""))} FROM read_parquet('{log}') LIMIT 1) f
                  ORDER BY t.__n, t.{dataset.Source.Column} DESC)
            TO '{rows}' (FORMAT parquet)
            """);
        var scored = Path.Combine(dir, "scores.parquet");
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.True(CliApp.Run(["score", "--model", fixture.Bundle, "--in", rows, "--out", scored], o, e) == 0, e.ToString());
        var raw = DuckRows.Query($"SELECT * FROM read_parquet('{rows}')");
        var expected = DuckRows.Query($"SELECT * FROM read_parquet('{scored}')");
        Assert.Equal(Rows, expected.Count);
        Assert.Equal(Rows / 2, raw.Count(r => (string)r[dataset.Source.Column]! == "ad"));

        JsonElement Values(IReadOnlyDictionary<string, object?> row, Func<FeatureGroup, bool> keep) => JsonSerializer.SerializeToElement(
            row.Where(kv => groups.TryGetValue(kv.Key, out var g) && keep(g)).ToDictionary(kv => kv.Key, kv => kv.Value));
        var source = dataset.Source.Column;
        var body = JsonSerializer.Serialize(new
        {
            user = new { features = Values(raw[0], g => g == FeatureGroup.User) },
            context = Values(raw[0], g => g == FeatureGroup.Context && !placementPerCandidate),
            candidates = raw.Select((r, i) => new { id = $"row{i}", source = (string)r[source]!, features = Values(r, g => !InRequest(g)) }),
        });

        var options = TestService.Options(fixture.Bundle);
        await using var service = await TestService.StartAsync(options, d => ServedModel.LoadBundle(d, ServingWiring.Ranker(options.CandidateCache)), kestrel: true);
        // Twice: the second time the factorised ranker takes every candidate's encoder output from its cache.
        for (int round = 0; round < 2; round++)
        {
            var response = await service.RankAsync(body);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToString());

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(fixture.Bundle, "manifest.json")))),
                         answer.GetProperty("model_version").GetString());
            var candidates = answer.GetProperty("candidates").EnumerateArray().ToArray();
            Assert.Equal(Rows, candidates.Length);
            int compared = 0;
            foreach (var c in candidates)
            {
                var i = int.Parse(c.GetProperty("id").GetString()!["row".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var admitted = trained.Model.Tasks.Where(t => t.Sources.Contains((string)raw[i][source]!)).Select(t => t.Name).Order();
                var probabilities = c.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
                Assert.Equal(admitted, probabilities.Keys.Order());
                foreach (var (task, p) in probabilities)
                {
                    Assert.Equal(Convert.ToDouble(expected[i][task], System.Globalization.CultureInfo.InvariantCulture), p, 1e-6);
                    compared++;
                }
            }
            Assert.True(compared >= Rows * 3, $"{compared} probabilities compared");
        }
        // The second time every candidate came from the cache (with its own placement too: a cache per set of columns given).
        Assert.Equal(Rows, await service.MetricAsync("crossfeed_rank_candidates_cached_total"));
    }

    [Fact]
    public async Task A_candidate_contradicting_the_requests_context_is_a_400_naming_it()
    {
        await using var service = await TestService.StartAsync(TestService.Options(fixture.Bundle), d => ServedModel.LoadBundle(d, ServingWiring.Ranker(ServeOptions.DefaultCandidateCache)));
        var response = await service.RankAsync("""
            { "user": { "id": "17" }, "context": { "slot": "home_shelf" },
              "candidates": [ { "id": "p", "source": "promotion", "show_id": "3" },
                              { "id": "a", "source": "ad", "show_id": "4", "features": { "slot": "display_home_banner" } } ] }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("candidates[1] ('a'): slot 'display_home_banner' contradicts the request's slot 'home_shelf'", detail, StringComparison.Ordinal);
    }
}
