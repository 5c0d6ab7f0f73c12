using System.Globalization;
using Crossfeed.Core;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving;

/// <summary>
/// What candidates are ordered by. <c>default</c>: a candidate's stream probability on its own channel
/// (<c>ad_stream</c> for ads, <c>promo_stream</c> for promotions) when the model has that task and it admits the
/// candidate, else the first task in the model's order that admits it. Or a weighted sum of task probabilities,
/// <c>ad_stream*1+click*0.1</c>: terms joined by <c>+</c>, each <c>TASK</c> or <c>TASK*WEIGHT</c> (weight 1 when
/// left out, may be negative); a task that does not admit a candidate adds nothing to its score.
/// </summary>
public sealed record Objective(string Text, IReadOnlyList<(string Task, double Weight)> Terms)
{
    public const string DefaultText = "default";

    /// <summary>The task the default objective prefers per source.</summary>
    private static readonly IReadOnlyDictionary<string, string> StreamTask = new Dictionary<string, string>
    {
        ["ad"] = "ad_stream",
        ["promotion"] = "promo_stream",
    };

    public static Objective Default { get; } = new(DefaultText, []);

    public bool IsDefault => Terms.Count == 0;

    /// <summary>Parses the <c>--objective</c> text; errors name the option and the term.</summary>
    public static Objective Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == DefaultText) return Default;
        var terms = new List<(string, double)>();
        foreach (var raw in text.Split('+'))
        {
            var term = raw.Trim();
            var parts = term.Split('*');
            var task = parts[0].Trim();
            if (task.Length == 0 || parts.Length > 2)
                throw new BadInputException($"--objective: '{term}' is not TASK or TASK*WEIGHT (e.g. \"ad_stream*1+click*0.1\")");
            var weight = 1.0;
            if (parts.Length == 2 && !double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight))
                throw new BadInputException($"--objective: '{parts[1].Trim()}' in '{term}' is not a number");
            terms.Add((task, weight));
        }
        return new Objective(text.Trim(), terms);
    }

    /// <summary>Refuses a model that lacks a task the objective names (at start-up and on every reload).</summary>
    public void CheckAgainst(ServedModel model)
    {
        foreach (var (task, _) in Terms)
            if (!model.Tasks.Contains(task))
                throw new BadInputException($"--objective: task '{task}' is not in model '{model.Name}' (tasks: {string.Join(", ", model.Tasks)})");
    }

    /// <summary>The candidate's score; null when no task of the objective admits it (such candidates go last).</summary>
    public double? Score(CandidateScores scores, string source, IReadOnlyList<string> modelTasks)
    {
        var p = scores.Probabilities;
        if (IsDefault)
        {
            if (StreamTask.TryGetValue(source, out var preferred) && p.TryGetValue(preferred, out var stream)) return stream;
            foreach (var task in modelTasks)
                if (p.TryGetValue(task, out var v)) return v;
            return null;
        }
        double sum = 0;
        var any = false;
        foreach (var (task, weight) in Terms)
        {
            if (!p.TryGetValue(task, out var v)) continue;
            sum += weight * v;
            any = true;
        }
        return any ? sum : null;
    }
}
