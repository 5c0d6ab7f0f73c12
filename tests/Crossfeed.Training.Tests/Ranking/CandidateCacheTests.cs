using Crossfeed.Training.Ranking;

namespace Crossfeed.Training.Tests.Ranking;

public class CandidateCacheTests
{
    private static RankInput Request(Random rng, IReadOnlyList<RankCandidate> candidates) =>
        new(RankingWorld.User(rng), RankingWorld.Context(rng, "audio"), candidates);

    private static void AssertSameScores(RankOutput expected, RankOutput actual) => RankingWorld.AssertSameScores(expected, actual, 1e-6);

    [Theory]
    [InlineData("shared_bottom")]
    [InlineData("mmoe")]
    public void Cached_candidates_score_as_the_plain_ranker_on_later_requests_for_other_users(string architecture)
    {
        using var model = RankingWorld.Train(architecture);
        using var cached = new CandidateRanker(model, cacheCapacity: 1000);
        var plain = new CandidateRanker(model, factorised: false);
        var rng = new Random(21);
        var pool = Enumerable.Range(0, 30).Select(i => RankingWorld.Candidate(rng, i)).ToArray();
        // A show the vocabulary does not know: its OOV line must be reported when it comes from the cache too.
        var unknown = new Dictionary<string, object?>(RankingWorld.Item(rng)) { ["show_id"] = 9999L };
        pool[7] = new RankCandidate("c7", "promotion", unknown);

        // Cold, then warm for other users, then a mix of seen and new candidates (the dictionaries are copies: keys are by value).
        var requests = new[]
        {
            Request(rng, pool[..20]),
            Request(rng, pool[..20].Select(c => c with { Features = new Dictionary<string, object?>(c.Features) }).ToArray()),
            Request(rng, pool[10..]),
            Request(rng, [pool[3], pool[25], pool[7]]),
        };
        foreach (var request in requests) AssertSameScores(plain.Score(request), cached.Score(request));

        Assert.Equal(30, cached.Cache!.Count);
        Assert.Equal(30, cached.Cache.Misses); // each candidate encoded once
        Assert.Equal(20 + 10 + 3, cached.Cache.Hits);
        Assert.Contains(cached.Score(Request(rng, [pool[7]])).Fallbacks, f => f.StartsWith("show_id: '9999'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_candidate_whose_values_changed_is_not_served_from_the_cache()
    {
        using var model = RankingWorld.Train("shared_bottom");
        using var cached = new CandidateRanker(model, cacheCapacity: 100);
        var plain = new CandidateRanker(model, factorised: false);
        var rng = new Random(22);
        var item = RankingWorld.Item(rng);
        var user = RankingWorld.User(rng);
        var context = RankingWorld.Context(rng, "audio");
        cached.Score(new RankInput(user, context, [new("x", "ad", item)]));

        foreach (var (column, value) in new (string, object?)[] { ("bid", 4.75), ("show_embedding", new[] { 0.9, -0.4, 1.7 }), ("show_id", 3L), ("campaign_id", null) })
        {
            var changed = new RankInput(user, context, [new("x", "ad", new Dictionary<string, object?>(item) { [column] = value })]);
            var expected = plain.Score(changed);
            AssertSameScores(expected, cached.Score(changed));
            Assert.NotEqual(plain.Score(new RankInput(user, context, [new("x", "ad", item)])).Candidates[0].Probabilities["audio_ad_stream"],
                expected.Candidates[0].Probabilities["audio_ad_stream"], 1e-6);
        }
    }

    [Fact]
    public void Candidates_giving_their_own_placement_are_cached_with_it()
    {
        using var model = RankingWorld.Train("mmoe");
        using var cached = new CandidateRanker(model, cacheCapacity: 100);
        var plain = new CandidateRanker(model, factorised: false);
        var rng = new Random(24);
        var pool = Enumerable.Range(0, 12).Select(i =>
        {
            var c = RankingWorld.Candidate(rng, i);
            return c with { Features = new Dictionary<string, object?>(c.Features) { ["modality"] = i % 2 == 0 ? "audio" : "video" } };
        }).ToArray();
        RankInput Request(IReadOnlyList<RankCandidate> candidates) =>
            new(RankingWorld.User(rng), new Dictionary<string, object?> { ["hour"] = (long)rng.Next(24) }, candidates);

        var cold = Request(pool);
        AssertSameScores(plain.Score(cold), cached.Score(cold));
        // Another user and hour, the same candidates: every one from the cache (the modality is part of each key).
        var warm = Request(pool.Select(c => c with { Features = new Dictionary<string, object?>(c.Features) }).ToArray());
        var answer = cached.Score(warm);
        AssertSameScores(plain.Score(warm), answer);
        Assert.Equal(pool.Length, answer.Cached);
        // One candidate now in the other modality: a miss, scored as such.
        var moved = pool.ToArray();
        moved[3] = moved[3] with { Features = new Dictionary<string, object?>(moved[3].Features) { ["modality"] = "audio" } };
        var changed = Request(moved);
        answer = cached.Score(changed);
        AssertSameScores(plain.Score(changed), answer);
        Assert.Equal(pool.Length - 1, answer.Cached);
        // The split's cache is apart from the cache of requests that share one context.
        Assert.Equal(0, cached.Cache!.Count);
    }

    [Fact]
    public void A_full_cache_empties_and_refills_and_concurrent_requests_keep_their_own_rows()
    {
        using var model = RankingWorld.Train("shared_bottom");
        using var cached = new CandidateRanker(model, cacheCapacity: 8);
        var plain = new CandidateRanker(model, factorised: false);
        var rng = new Random(23);
        var requests = Enumerable.Range(0, 24)
            .Select(r => Request(rng, Enumerable.Range(0, 5).Select(i => RankingWorld.Candidate(rng, 5 * r + i)).ToArray()))
            .ToArray();
        var expected = requests.Select(plain.Score).ToArray();

        // Four threads, twenty passes: every request both misses and hits, and the cache of 8 is emptied again and again.
        Parallel.For(0, 20 * requests.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            int r = k % requests.Length;
            AssertSameScores(expected[r], cached.Score(requests[r]));
        });
        Assert.InRange(cached.Cache!.Count, 1, 8);
        cached.Score(requests[0]);
        long hits = cached.Cache.Hits;
        AssertSameScores(expected[0], cached.Score(requests[0]));
        Assert.Equal(hits + 5, cached.Cache.Hits);
    }
}
