using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crossfeed.Serving.Features;

namespace Crossfeed.Serving.Tests;

/// <summary>POST /v1/rank: features from the store with inline winning, fallbacks said, candidates ordered by the objective.</summary>
public sealed class RankEndpointTests
{
    private static RankTestFeatureStore Store() => new(new()
    {
        [(EntityKind.User, "u1")] = new() { ["country"] = "SE", ["device"] = "ios", ["followed_count"] = 3L },
        [(EntityKind.Show, "7")] = new() { ["genre"] = "comedy", ["show_age_days"] = 400L },
        [(EntityKind.Creative, "9")] = new() { ["ad_format"] = "audio_30s", ["bid_cpm"] = 4.5 },
    });

    private static async Task<(JsonElement Body, StandInRanker Ranker)> Rank(string body, Crossfeed.Serving.ServeOptions? options = null, IFeatureStore? store = null,
                                                                             IReadOnlyList<(string, string[])>? tasks = null)
    {
        var ranker = new StandInRanker(tasks ?? StandInRanker.PodcastTasks);
        await using var service = await TestService.StartAsync(options ?? TestService.Options(), _ => ranker.Served(), store);
        var response = await service.RankAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), ranker);
    }

    private static string[] Order(JsonElement body) => body.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public async Task Store_features_fill_in_what_the_request_does_not_give_and_inline_wins()
    {
        var (_, ranker) = await Rank("""
            { "user": { "id": "u1", "features": { "device": "android" } },
              "candidates": [ { "id": "ad", "source": "ad", "show_id": "7", "creative_id": "9", "campaign_id": "3", "features": { "bid_cpm": 6.0 } } ] }
            """, store: Store());
        var input = ranker.LastInput!;
        Assert.Equal("SE", input.User["country"]);
        Assert.Equal("android", input.User["device"]);
        Assert.Equal("u1", input.User["user_id"]);
        var ad = input.Candidates.Single().Features;
        Assert.Equal("comedy", ad["genre"]);
        Assert.Equal("audio_30s", ad["ad_format"]);
        Assert.Equal(6.0, ad["bid_cpm"]);
        Assert.Equal("7", ad["show_id"]);
        Assert.Equal("3", ad["campaign_id"]);
    }

    [Fact]
    public async Task An_unknown_user_id_falls_back_to_the_request_and_the_response_says_so()
    {
        var (body, ranker) = await Rank("""
            { "user": { "id": "u404", "features": { "country": "DE" } },
              "candidates": [ { "id": "p", "source": "promotion", "show_id": "999" } ] }
            """, store: Store());
        var fallbacks = body.GetProperty("fallbacks").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Contains(fallbacks, f => f.StartsWith("user.id 'u404': not in the feature store; scored with the request's features", StringComparison.Ordinal));
        Assert.Contains(fallbacks, f => f.StartsWith("candidates[0].show_id '999': not in the feature store", StringComparison.Ordinal));
        Assert.Equal("DE", ranker.LastInput!.User["country"]);
        Assert.False(ranker.LastInput.User.ContainsKey("device"));
    }

    [Fact]
    public async Task A_known_user_has_no_fallback()
    {
        var (body, _) = await Rank("""{ "user": { "id": "u1" }, "candidates": [ { "id": "p", "source": "promotion", "show_id": "7" } ] }""", store: Store());
        Assert.Equal(0, body.GetProperty("fallbacks").GetArrayLength());
    }

    [Fact]
    public async Task Each_candidate_gets_the_probabilities_of_the_tasks_that_admit_it()
    {
        var (body, _) = await Rank("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" }, { "id": "p", "source": "promotion" } ] }""");
        var byId = body.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(["ad_stream", "click"], byId["a"].GetProperty("probabilities").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["click", "promo_stream"], byId["p"].GetProperty("probabilities").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("ad", byId["a"].GetProperty("source").GetString());
        Assert.Equal("promotion", byId["p"].GetProperty("source").GetString());
    }

    private const string Mixed = """
        { "user": { "id": "u1" },
          "candidates": [
            { "id": "p-low",  "source": "promotion", "features": { "p_promo_stream": 0.10, "p_click": 0.90 } },
            { "id": "a-mid",  "source": "ad",        "features": { "p_ad_stream": 0.30, "p_click": 0.05 } },
            { "id": "p-high", "source": "promotion", "features": { "p_promo_stream": 0.50, "p_click": 0.01 } } ] }
        """;

    [Fact]
    public async Task The_default_objective_orders_by_each_channels_stream_probability()
    {
        // click comes first in this model: the default must still prefer each channel's stream task.
        var (body, _) = await Rank(Mixed, tasks: [("click", ["promotion", "ad"]), ("promo_stream", ["promotion"]), ("ad_stream", ["ad"])]);
        Assert.Equal(["p-high", "a-mid", "p-low"], Order(body));
        Assert.Equal("default", body.GetProperty("objective").GetString());
        Assert.Equal(0.30, body.GetProperty("candidates")[1].GetProperty("score").GetDouble(), 12);
    }

    [Fact]
    public async Task Probabilities_and_scores_are_written_at_the_models_float_precision()
    {
        // The stand-in returns 0.3f: as a double it would print as 0.30000001192092896, digits the model does not have.
        var (body, _) = await Rank(Mixed, tasks: [("click", ["promotion", "ad"]), ("ad_stream", ["ad"])]);
        var mid = body.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "a-mid");
        Assert.Equal("0.3", mid.GetProperty("score").GetRawText());
        Assert.Equal("0.3", mid.GetProperty("probabilities").GetProperty("ad_stream").GetRawText());
        Assert.Equal("0.05", mid.GetProperty("probabilities").GetProperty("click").GetRawText());
    }

    [Fact]
    public async Task A_weighted_objective_orders_by_its_sum()
    {
        var options = TestService.Options() with { Objective = Crossfeed.Serving.Objective.Parse("click*1 + ad_stream*0.1") };
        var (body, _) = await Rank(Mixed, options);
        Assert.Equal(["p-low", "a-mid", "p-high"], Order(body));
        Assert.Equal(0.05 + 0.1 * 0.30, body.GetProperty("candidates")[1].GetProperty("score").GetDouble(), 12);
    }

    [Fact]
    public async Task Top_k_returns_the_best_k()
    {
        var (body, _) = await Rank(Mixed.Replace("\"user\":", "\"top_k\": 2, \"user\":", StringComparison.Ordinal));
        Assert.Equal(["p-high", "a-mid"], Order(body));
    }
}
