using System.Text.Json;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Training.Tests.Ranking;

public class CandidateRankerTests
{
    private static RankInput Request(int seed, int candidates, string modality = "audio")
    {
        var rng = new Random(seed);
        return new RankInput(RankingWorld.User(rng), RankingWorld.Context(rng, modality),
            Enumerable.Range(0, candidates).Select(i => RankingWorld.Candidate(rng, i)).ToArray());
    }

    [Theory]
    [InlineData("shared_bottom")]
    [InlineData("mmoe")]
    [InlineData("ple")]
    [InlineData("camoe")]
    public void Factorised_and_plain_ranking_give_the_same_probabilities(string architecture)
    {
        using var model = RankingWorld.Train(architecture);
        var input = Request(seed: 3, candidates: 40);
        var plain = new CandidateRanker(model, factorised: false).Score(input);
        var factorised = new CandidateRanker(model).Score(input);

        Assert.Equal(input.Candidates.Count, factorised.Candidates.Count);
        RankingWorld.AssertSameScores(plain, factorised, 1e-5);
        // Candidates differ, so equality is not an artefact of identical rows.
        var promo = plain.Candidates.SelectMany(c => c.Probabilities).Where(kv => kv.Key == "promo_stream").Select(kv => kv.Value).ToArray();
        Assert.True(promo.Max() - promo.Min() > 1e-4);
    }

    [Theory]
    [InlineData("shared_bottom")]
    [InlineData("mmoe")]
    [InlineData("ple")]
    [InlineData("camoe")]
    public void Candidates_giving_their_own_placement_score_as_the_plain_ranker_with_the_rest_shared(string architecture)
    {
        using var model = RankingWorld.Train(architecture);
        var rng = new Random(12);
        var user = RankingWorld.User(rng);
        // The request gives no modality and no hour: every candidate its own modality, every other one its hour,
        // one candidate neither (scored as missing), and one repeats nothing the request gives.
        var candidates = Enumerable.Range(0, 24).Select(i =>
        {
            var c = RankingWorld.Candidate(rng, i);
            var own = new Dictionary<string, object?>(c.Features);
            if (i != 5) own["modality"] = i % 3 == 0 ? "video" : "audio";
            if (i % 2 == 0) own["hour"] = (long)rng.Next(24);
            return c with { Features = own };
        }).ToArray();
        var input = new RankInput(user, new Dictionary<string, object?>(), candidates);
        var plain = new CandidateRanker(model, factorised: false).Score(input);
        var factorised = new CandidateRanker(model).Score(input);

        RankingWorld.AssertSameScores(plain, factorised, 1e-5);
        // The placement matters: the same show as audio and as video gets different probabilities.
        var item = RankingWorld.Item(rng);
        var both = new CandidateRanker(model).Score(new RankInput(user, new Dictionary<string, object?> { ["hour"] = 3L },
            [new("a", "promotion", new Dictionary<string, object?>(item) { ["modality"] = "audio" }), new("v", "promotion", new Dictionary<string, object?>(item) { ["modality"] = "video" })]));
        Assert.NotEqual(both.Candidates[0].Probabilities["promo_stream"], both.Candidates[1].Probabilities["promo_stream"], 1e-6);
    }

    [Fact]
    public void Each_candidate_gets_the_tasks_its_source_and_modality_admit()
    {
        using var model = RankingWorld.Train("camoe");
        var rng = new Random(4);
        var item = RankingWorld.Item(rng);
        var audio = new RankInput(RankingWorld.User(rng), RankingWorld.Context(rng, "audio"),
            [new("promo", "promotion", item), new("ad", "ad", item)]);
        var result = new CandidateRanker(model).Score(audio);
        Assert.Equal(["promo_stream"], result.Candidates[0].Probabilities.Keys);
        Assert.Equal(["audio_ad_stream"], result.Candidates[1].Probabilities.Keys);

        // A candidate's own modality scopes it when the request's context has none.
        var video = new Dictionary<string, object?>(item) { ["modality"] = "video" };
        var noContextModality = new RankInput(RankingWorld.User(rng), new Dictionary<string, object?> { ["hour"] = 3L },
            [new("video ad", "ad", video)]);
        Assert.Equal(["video_ad_click"], new CandidateRanker(model).Score(noContextModality).Candidates[0].Probabilities.Keys);
    }

    [Fact]
    public void Candidates_read_through_any_dictionary_give_the_same_scores_fallbacks_and_cache_hits()
    {
        // Ordinal Dictionary values are read by walking their entries; any other dictionary column by column. Both
        // must see the same values: here some candidates leave bid out or give it as null, and in the second request
        // every third gives its own modality (the request has none).
        using var model = RankingWorld.Train("camoe");
        var rng = new Random(21);
        var user = RankingWorld.User(rng);
        var context = new Dictionary<string, object?> { ["hour"] = 7L, ["modality"] = "audio" };
        foreach (bool ownModality in new[] { false, true })
        {
            var candidates = Enumerable.Range(0, 30).Select(i =>
            {
                var own = RankingWorld.Item(rng);
                if (i % 5 == 1) own.Remove("bid");
                if (i % 5 == 2) own["bid"] = null;
                if (ownModality && i % 3 == 0) own["modality"] = "video";
                own["unknown_column"] = "ignored";
                return new RankCandidate($"c{i}", i % 2 == 0 ? "ad" : "promotion", own);
            }).ToArray();
            if (ownModality) context.Remove("modality");
            var walked = new RankInput(user, context, candidates);
            var probed = new RankInput(user, context, candidates.Select(c => c with
            {
                Features = new System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>(new Dictionary<string, object?>(c.Features)),
            }).ToArray());

            var expected = new CandidateRanker(model, factorised: false).Score(probed);
            Assert.Contains("bid: not given for 12 of 30 candidates; scored as missing", expected.Fallbacks);
            RankingWorld.AssertSameScores(expected, new CandidateRanker(model, factorised: false).Score(walked), 1e-7);
            using var cached = new CandidateRanker(model, cacheCapacity: 100);
            RankingWorld.AssertSameScores(expected, cached.Score(probed), 1e-5);
            var again = cached.Score(walked);
            RankingWorld.AssertSameScores(expected, again, 1e-5);
            Assert.Equal(30, again.Cached);
        }
    }

    [Fact]
    public void Ranked_probabilities_are_the_calibrated_predictions_of_the_same_rows()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-ranker-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            using (var trained = RankingWorld.Train("shared_bottom", dir)) Bundle.Save(Path.Combine(dir, "bundle"), trained);
            var temperatures = new[] { 2.5f, 0.5f, 1.5f };
            Bundle.WriteCalibration(Path.Combine(dir, "bundle"), temperatures);
            using var model = Bundle.Load(Path.Combine(dir, "bundle"));

            var input = Request(seed: 6, candidates: 12);
            var ranked = new CandidateRanker(model).Score(input);
            // The same rows as the log would hold them: user, context and candidate values side by side.
            var rows = input.Candidates.Select(c => (IReadOnlyDictionary<string, object?>)input.User.Concat(input.Context).Concat(c.Features).ToDictionary()).ToArray();
            var split = new ValueEncoder(model.Dataset, model.Preprocessor).Encode(rows, input.Candidates.Select(c => model.Dataset.SourceIndex(c.Source)).ToArray());
            var predicted = model.Predict(split);
            var tasks = model.Model.Tasks.Select(t => t.Name).ToList();
            int compared = 0;
            for (int i = 0; i < rows.Length; i++)
                foreach (var (task, p) in ranked.Candidates[i].Probabilities)
                {
                    Assert.Equal(predicted[tasks.IndexOf(task)][i], p, 1e-6);
                    compared++;
                }
            Assert.Equal(input.Candidates.Count, compared); // one task per candidate in this world (audio context)
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unknown_ids_fall_to_the_oov_row_and_are_reported()
    {
        using var model = RankingWorld.Train("mmoe");
        var rng = new Random(8);
        var user = RankingWorld.User(rng);
        var context = RankingWorld.Context(rng, "audio");
        var item = RankingWorld.Item(rng);
        var unknownA = new Dictionary<string, object?>(item) { ["show_id"] = 9999L };
        var unknownB = new Dictionary<string, object?>(item) { ["show_id"] = "a-new-show" };
        var result = new CandidateRanker(model).Score(new RankInput(user, context, [new("a", "promotion", unknownA), new("b", "promotion", unknownB), new("known", "promotion", item)]));

        Assert.Contains(result.Fallbacks, f => f.StartsWith("show_id: '9999'", StringComparison.Ordinal));
        Assert.Contains(result.Fallbacks, f => f.StartsWith("show_id: 'a-new-show'", StringComparison.Ordinal));
        // One OOV bucket: both unknown shows read the same row, a known show another.
        var p = result.Candidates.Select(c => c.Probabilities["promo_stream"]).ToArray();
        Assert.Equal(p[0], p[1], 1e-7);
        Assert.NotEqual(p[0], p[2], 1e-5);
    }

    [Fact]
    public void Missing_features_are_reported_and_scored_as_missing()
    {
        using var model = RankingWorld.Train("shared_bottom");
        var rng = new Random(9);
        var user = RankingWorld.User(rng);
        user.Remove("minutes");
        var item = RankingWorld.Item(rng);
        item.Remove("bid");
        var result = new CandidateRanker(model).Score(new RankInput(user, RankingWorld.Context(rng, "audio"), [new("x", "ad", item), RankingWorld.Candidate(rng, 1)]));
        Assert.Contains("minutes: not given for the user or context; scored as missing", result.Fallbacks);
        Assert.Contains("bid: not given for 1 of 2 candidates; scored as missing", result.Fallbacks);
    }

    [Theory]
    [InlineData("bid", "\"cheap\"", "expected a number")]
    [InlineData("show_embedding", "0.5", "expected a vector of 3 numbers")]
    [InlineData("show_embedding", "[1, 2]", "expected a vector of 3 numbers, got 2")]
    [InlineData("show_id", "[1, 2]", "expected one value, got a list")]
    [InlineData("campaign_id", "{\"id\": 1}", "JSON object")]
    public void A_value_of_the_wrong_type_is_bad_input_naming_the_field(string column, string json, string expected)
    {
        using var model = RankingWorld.Train("shared_bottom");
        var rng = new Random(10);
        var item = RankingWorld.Item(rng);
        item[column] = JsonDocument.Parse(json).RootElement;
        var error = Assert.Throws<BadInputException>(() =>
            new CandidateRanker(model).Score(new RankInput(RankingWorld.User(rng), RankingWorld.Context(rng, "audio"), [new("x", "ad", item)])));
        Assert.Contains($"'{column}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scalar_for_a_list_and_text_for_a_numeric_are_bad_input_for_the_user_too()
    {
        using var model = RankingWorld.Train("shared_bottom");
        var rng = new Random(11);
        var context = RankingWorld.Context(rng, "audio");
        var candidates = new[] { RankingWorld.Candidate(rng, 0) };
        var scalarList = new Dictionary<string, object?>(RankingWorld.User(rng)) { ["history_shows"] = 3L };
        Assert.Contains("'history_shows'", Assert.Throws<BadInputException>(() => new CandidateRanker(model).Score(new RankInput(scalarList, context, candidates))).Message);
        var textMinutes = new Dictionary<string, object?>(RankingWorld.User(rng)) { ["minutes"] = "12" };
        Assert.Contains("'minutes'", Assert.Throws<BadInputException>(() => new CandidateRanker(model).Score(new RankInput(textMinutes, context, candidates))).Message);
    }

    [Fact]
    public void An_unknown_source_is_bad_input_naming_it()
    {
        using var model = RankingWorld.Train("shared_bottom");
        var rng = new Random(12);
        var error = Assert.Throws<BadInputException>(() => new CandidateRanker(model).Score(
            new RankInput(RankingWorld.User(rng), RankingWorld.Context(rng, "audio"), [new("x", "banner", RankingWorld.Item(rng))])));
        Assert.Contains("unknown source 'banner'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_values_score_exactly_as_the_same_clr_values()
    {
        using var model = RankingWorld.Train("ple");
        var input = Request(seed: 13, candidates: 5);
        static Dictionary<string, object?> AsJson(IReadOnlyDictionary<string, object?> values) =>
            values.ToDictionary(kv => kv.Key, kv => (object?)JsonSerializer.SerializeToElement(kv.Value));
        var json = new RankInput(AsJson(input.User), AsJson(input.Context),
            input.Candidates.Select(c => c with { Features = AsJson(c.Features) }).ToArray());
        var ranker = new CandidateRanker(model);
        var expected = ranker.Score(input);
        var actual = ranker.Score(json);
        for (int i = 0; i < expected.Candidates.Count; i++)
            Assert.Equal(expected.Candidates[i].Probabilities, actual.Candidates[i].Probabilities);
    }

    [Fact]
    public void Concurrent_calls_give_the_scores_of_sequential_calls_and_leave_the_model_in_eval_mode()
    {
        using var model = RankingWorld.Train("camoe");
        var ranker = new CandidateRanker(model);
        var inputs = Enumerable.Range(0, 16).Select(s => Request(seed: 100 + s, candidates: 30, modality: s % 2 == 0 ? "audio" : "video")).ToArray();
        var sequential = inputs.Select(ranker.Score).ToArray();
        var concurrent = new RankOutput[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = ranker.Score(inputs[i]));
        for (int r = 0; r < inputs.Length; r++)
            for (int i = 0; i < inputs[r].Candidates.Count; i++)
                Assert.Equal(sequential[r].Candidates[i].Probabilities, concurrent[r].Candidates[i].Probabilities);
        Assert.False(model.Network.training);
    }
}
