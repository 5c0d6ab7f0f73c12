using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;
using Crossfeed.Training;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Cli.Tests;

/// <summary>The in-memory path (raw values, as a scoring request holds them) against the file path `score` uses.</summary>
public class InMemoryScoringTests(WorldFixture world) : IClassFixture<WorldFixture>
{
    private const int Rows = 400;

    [Fact]
    public void Raw_values_encode_and_score_exactly_as_the_score_command_does_for_the_same_rows()
    {
        var bundle = world.Temp("bundle");
        var (code, _, err) = Cli.Run("train", "--config", world.QuickConfig("podcast-joint.yaml", steps: 40), "--data", world.Dataset, "--out", bundle);
        Assert.True(code == 0, err);
        var impressions = Path.Combine(world.World, "impressions.parquet");
        var scored = Path.Combine(world.Temp("scored"), "scores.parquet");
        (code, _, err) = Cli.Run("score", "--model", bundle, "--in", impressions, "--out", scored);
        Assert.True(code == 0, err);

        using var model = Bundle.Load(bundle);
        var raw = DuckRows.Query($"SELECT * FROM read_parquet('{impressions}') LIMIT {Rows}");
        var fromFile = DatasetLoader.Encode(model.Dataset, model.Preprocessor, impressions);
        var encoder = new ValueEncoder(model.Dataset, model.Preprocessor);
        var fallbacks = new HashSet<string>();
        var inMemory = encoder.Encode(raw, raw.Select(r => encoder.SourceIndex((string)r[model.Dataset.Source.Column]!)).ToArray(), fallbacks);

        Assert.Equal(fromFile.Keys["impression_id"].Take(Rows), inMemory.Keys["impression_id"]);
        Assert.Equal(fromFile.Source.Take(Rows), inMemory.Source);
        foreach (var (feature, ids) in inMemory.Ids)
        {
            int items = inMemory.ListOffsets.TryGetValue(feature, out var offsets) ? offsets[Rows] : Rows;
            Assert.Equal(fromFile.Ids[feature].Take(items), ids);
            if (offsets is not null) Assert.Equal(fromFile.ListOffsets[feature].Take(Rows + 1), offsets);
        }
        foreach (var (feature, values) in inMemory.Dense)
            Assert.Equal(fromFile.Dense[feature].Take(values.Length), values);
        foreach (var (role, values) in inMemory.AnalysisText)
            Assert.Equal(fromFile.AnalysisText[role].Take(Rows), values);
        // Ids unknown to the vocabulary (rare users, new creatives) reach the OOV row and are reported per column.
        var withOov = inMemory.Ids.Where(kv => kv.Value.Any(model.Preprocessor.TableOf(kv.Key).IsOov)).Select(kv => model.Dataset.Feature(kv.Key)!.Column).ToList();
        Assert.NotEmpty(withOov);
        foreach (var column in withOov) Assert.Contains(fallbacks, f => f.StartsWith($"{column}: '", StringComparison.Ordinal));
        Assert.All(fallbacks, f => Assert.Contains(withOov, c => f.StartsWith($"{c}: '", StringComparison.Ordinal)));

        var tasks = model.Model.Tasks;
        var expected = DuckRows.Query($"SELECT * FROM read_parquet('{scored}') LIMIT {Rows}");
        var predicted = model.Predict(inMemory);
        for (int i = 0; i < Rows; i++)
            for (int k = 0; k < tasks.Count; k++)
                Assert.Equal((float)expected[i][tasks[k].Name]!, predicted[k][i], 1e-6);

        // The ranker, one row as a one-candidate request (user and context from the request, the rest from
        // the candidate), factorised and plain, gives the scored file's probability of every task it returns.
        var groups = model.Dataset.Features.ToDictionary(f => f.Column, f => f.Group);
        foreach (var factorised in new[] { true, false })
        {
            var ranker = new CandidateRanker(model, factorised);
            int compared = 0;
            for (int i = 0; i < Rows; i++)
            {
                var row = raw[i];
                Dictionary<string, object?> Part(Func<FeatureGroup?, bool> keep) =>
                    row.Where(kv => keep(groups.TryGetValue(kv.Key, out var g) ? g : null)).ToDictionary();
                var input = new RankInput(Part(g => g == FeatureGroup.User), Part(g => g == FeatureGroup.Context),
                    [new RankCandidate($"row{i}", (string)row[model.Dataset.Source.Column]!, Part(g => g is null || !MultiTaskModel.IsShared(g.Value)))]);
                var result = ranker.Score(input).Candidates[0];
                Assert.Equal(tasks.Where(t => t.Sources.Contains((string)row[model.Dataset.Source.Column]!)).Select(t => t.Name), result.Probabilities.Keys);
                foreach (var (task, p) in result.Probabilities)
                {
                    Assert.Equal((float)expected[i][task]!, p, 1e-6);
                    compared++;
                }
            }
            Assert.True(compared >= Rows * 3, $"{compared} probabilities compared");
        }
    }
}
