using Crossfeed.Core;
using Crossfeed.Simulation;
using Crossfeed.Training;
using Crossfeed.Training.Ranking;

namespace Crossfeed.AbTest;

/// <summary>
/// Decides with a bundle through the in-process ranker (the one the HTTP service uses): for an ad opportunity
/// the highest predicted stream probability times bid, for a promotion slot the highest predicted stream
/// probability. The stream task of each channel is the model's task on the stream label whose sources include
/// the channel; a model without one (the promotions-only baseline on ads) scores with its other stream head,
/// as the paper's Table 1 does.
/// </summary>
internal sealed class ModelPolicy : IArmPolicy
{
    public const string StreamLabel = "stream";

    private readonly World _world;
    private readonly CandidateRanker _ranker;
    private readonly (string Task, string Source) _ad;
    private readonly (string Task, string Source) _promotion;
    private readonly Dictionary<int, Dictionary<string, object?>> _users = [];
    private readonly Dictionary<(int Id, int Day), Dictionary<string, object?>> _items = [];

    public ModelPolicy(string name, TrainedModel model, World world)
    {
        Name = name;
        _world = world;
        CheckSchema(name, model, world);
        _ranker = new CandidateRanker(model);
        _ad = StreamTask(name, model, "ad");
        _promotion = StreamTask(name, model, "promotion");
    }

    public string Name { get; }

    public int Choose(Visit visit, int seed, ReadOnlySpan<int> candidates, ReadOnlySpan<int> exposures)
    {
        var (task, source) = visit.IsAd ? _ad : _promotion;
        var list = new RankCandidate[candidates.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            int id = candidates[i];
            if (!_items.TryGetValue((id, visit.Day), out var values))
                _items[(id, visit.Day)] = values = visit.IsAd ? ImpressionValues.Ad(_world, id, visit.Day, 0) : ImpressionValues.Show(_world, id, visit.Day);
            if (visit.IsAd) values = new Dictionary<string, object?>(values) { ["campaign_exposures"] = exposures[i] };
            list[i] = new RankCandidate(id.ToString(System.Globalization.CultureInfo.InvariantCulture), source, values);
        }
        if (!_users.TryGetValue(visit.User, out var user)) _users[visit.User] = user = ImpressionValues.User(_world, visit.User);
        var context = ImpressionValues.Context(_world, visit.Slot, visit.Day, visit.Hour, visit.Session, visit.Listening);
        var scores = _ranker.Score(new RankInput(user, context, list)).Candidates;
        var ids = candidates.ToArray();
        return Choice.ArgMax(scores.Count, i =>
        {
            double p = scores[i].Probabilities.TryGetValue(task, out var v) ? v : 0;
            return visit.IsAd ? p * _world.Creative(ids[i]).BidCpm : p;
        });
    }

    /// <summary>Every feature the model reads must be a column the world's impressions carry.</summary>
    private static void CheckSchema(string name, TrainedModel model, World world)
    {
        var given = new HashSet<string>(ImpressionValues.User(world, 0).Keys, StringComparer.Ordinal);
        given.UnionWith(ImpressionValues.Context(world, 0, 0, 0, 0, -1).Keys);
        given.UnionWith(ImpressionValues.Ad(world, 0, 0, 0).Keys);
        var read = model.Layout.Categorical.Select(c => c.Feature).Concat(model.Layout.Dense.Select(d => d.Feature))
            .Select(f => model.Dataset.Feature(f)!.Column);
        var missing = read.Where(c => !given.Contains(c)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"{name}: the model reads {string.Join(", ", missing)}, which this world's impressions do not carry (a bundle from another dataset or an older world?)");
        if (!model.Dataset.Source.Values.Contains("ad") || !model.Dataset.Source.Values.Contains("promotion"))
            throw new BadInputException($"{name}: the model's dataset has sources [{string.Join(", ", model.Dataset.Source.Values)}]; the A/B test needs 'promotion' and 'ad'");
    }

    private static (string Task, string Source) StreamTask(string name, TrainedModel model, string source)
    {
        var tasks = model.Model.Tasks.Where(t => t.Label == StreamLabel).ToList();
        if (tasks.Count == 0) throw new BadInputException($"{name}: the model has no task on the '{StreamLabel}' label to rank with");
        var own = tasks.FirstOrDefault(t => t.Sources.Contains(source));
        return own is not null ? (own.Name, source) : (tasks[0].Name, tasks[0].Sources[0]);
    }
}
