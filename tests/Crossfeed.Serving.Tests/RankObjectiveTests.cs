using Crossfeed.Core;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving.Tests;

public sealed class RankObjectiveTests
{
    private static CandidateScores Scores(params (string Task, double P)[] p) => new("c", p.ToDictionary(x => x.Task, x => (float)x.P));

    [Theory]
    [InlineData("ad_stream*x", "--objective: 'x' in 'ad_stream*x' is not a number")]
    [InlineData("ad_stream*1+", "--objective: '' is not TASK or TASK*WEIGHT")]
    [InlineData("a*1*2", "--objective: 'a*1*2' is not TASK or TASK*WEIGHT")]
    public void A_malformed_objective_is_refused_naming_the_term(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<BadInputException>(() => Objective.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Weights_default_to_one_and_may_be_negative()
    {
        var o = Objective.Parse("ad_stream + click*-0.5");
        Assert.Equal(0.4 - 0.5 * 0.2, o.Score(Scores(("ad_stream", 0.4), ("click", 0.2)), "ad", ["ad_stream", "click"])!.Value, 6);
        Assert.Null(o.Score(Scores(("like", 0.3)), "promotion", ["like"]));
    }

    [Fact]
    public void The_default_uses_the_first_admitting_task_when_the_channel_has_no_stream_task()
    {
        Assert.Equal(0.1, Objective.Default.Score(Scores(("click", 0.7), ("purchase", 0.1)), "ad", ["purchase", "click"])!.Value, 6);
        Assert.Equal(0.3, Objective.Default.Score(Scores(("click", 0.7), ("purchase", 0.1), ("ad_stream", 0.3)), "ad", ["purchase", "click", "ad_stream"])!.Value, 6);
    }

    [Fact]
    public void A_model_without_a_task_of_the_objective_is_refused()
    {
        using var model = new StandInRanker([("click", ["ad"])]).Served();
        var e = Assert.Throws<BadInputException>(() => Objective.Parse("ad_stream*1+click*0.1").CheckAgainst(model));
        Assert.Contains("task 'ad_stream' is not in model 'stand-in'", e.Message, StringComparison.Ordinal);
    }
}
