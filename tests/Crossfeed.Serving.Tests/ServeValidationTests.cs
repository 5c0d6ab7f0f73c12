using System.Net;

namespace Crossfeed.Serving.Tests;

/// <summary>Every bad request gets a 4xx ProblemDetails that names the field; the service keeps answering.</summary>
public sealed class ServeValidationTests : IAsyncLifetime
{
    private const string Good = """
        { "user": { "id": "u1", "features": { "country": "SE" } },
          "context": { "hour": 20 },
          "candidates": [ { "id": "a", "source": "ad", "show_id": "4", "creative_id": "9" },
                          { "id": "p", "source": "promotion", "show_id": "7" } ] }
        """;

    private readonly StandInRanker _ranker = new(StandInRanker.PodcastTasks);
    private TestService _service = null!;

    public async Task InitializeAsync() =>
        _service = await TestService.StartAsync(TestService.Options() with { MaxCandidates = 3 }, _ => _ranker.Served());

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ """, "candidates")]
    [InlineData("""{ "user": { "id": "u1" } }""", "candidates: is required")]
    [InlineData("""{ "candidates": [ { "id": "a", "source": "ad" } ] }""", "user: is required")]
    [InlineData("""{ "user": {}, "candidates": [ { "id": "a", "source": "ad" } ] }""", "user: give an id, features or both")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [] }""", "candidates: at least one")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" }, { "source": "ad" } ] }""", "candidates[1].id: is required")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": 5, "source": "ad" } ] }""", "candidates[0].id:")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" } ], "top_k": "two" }""", "top_k:")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" } ], "top_k": 0 }""", "top_k: must be between 1 and")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "banner" } ] }""", "candidates[0].source: 'banner' is not a source")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad" }, { "id": "a", "source": "ad" } ] }""", "candidates[1].id: 'a' appears twice")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad", "features": { "genre": { "x": 1 } } } ] }""", "candidates[0].features.genre: expected")]
    [InlineData("""{ "user": { "id": "u1" }, "context": { "hour": [1, "x"] }, "candidates": [ { "id": "a", "source": "ad" } ] }""", "context.hour[1]: a list holds only strings or only numbers, got a string mixed with numbers")]
    [InlineData("""{ "user": { "id": "u1" }, "candidatez": [] }""", "candidatez")]
    [InlineData("""{ "user": { "id": "u1" }, "candidates": [ { "id": "a", "source": "ad", "features": { "bid_cpm": "high" } } ] }""", "candidates[0].features.bid_cpm: expected a number")]
    public async Task A_bad_request_is_a_400_problem_naming_the_field(string body, string expected)
    {
        var response = await _service.RankAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await TestService.ProblemAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _service.RankAsync(Good)).StatusCode);
    }

    [Fact]
    public async Task More_candidates_than_the_limit_are_refused_naming_the_limit()
    {
        var callsBefore = _ranker.Calls;
        var candidates = string.Join(", ", Enumerable.Range(0, 4).Select(i => $$"""{ "id": "c{{i}}", "source": "ad" }"""));
        var response = await _service.RankAsync($$"""{ "user": { "id": "u1" }, "candidates": [ {{candidates}} ] }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("candidates: 4 candidates, at most 3 per request", (await TestService.ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(callsBefore, _ranker.Calls); // refused before any scoring
    }

    [Fact]
    public async Task A_good_request_is_answered_in_snake_case()
    {
        var response = await _service.RankAsync(Good);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"model_version\":\"v1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"model_name\":\"stand-in\"", text, StringComparison.Ordinal);
        Assert.Contains("\"fallbacks\":", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_not_an_empty_page()
    {
        var response = await _service.Client.GetAsync("/v2/nothing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await TestService.ProblemAsync(response)).GetProperty("status").GetInt32());
    }
}
