using Crossfeed.Core;
using Crossfeed.Serving.Features;
using Crossfeed.Training.Ranking;

namespace Crossfeed.Serving;

/// <summary>
/// One ranking request: checks it (every error names its field), fills what it does not give inline from
/// the feature store (user by id, shows by show_id, creatives by creative_id; inline wins), scores it on
/// the leased model within the time limit and orders the candidates by the objective.
/// </summary>
public sealed class RankService(ServeOptions options, ServingMetrics metrics, IFeatureStore? store = null)
{
    private static readonly Dictionary<string, object?> Empty = new();

    /// <summary>Where features by id come from, for /readyz.</summary>
    public string Features => store?.Description ?? "none (features inline only)";

    /// <summary>Ranks on <paramref name="lease"/>'s model and releases the lease when scoring has ended, even after a time-out.</summary>
    /// <exception cref="BadInputException">The request is invalid; the message names the field.</exception>
    /// <exception cref="TimeoutException">The time limit passed before the answer was ready.</exception>
    public async Task<RankResponse> RankAsync(ModelLease lease, RankRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        Task<RankOutput>? scoring = null;
        try
        {
            var model = lease.Model;
            var (user, context, candidates) = Check(request, model);
            metrics.Candidates.Observe(candidates.Count);
            var fallbacks = new List<string>();
            var input = await ResolveAsync(user, context, candidates, fallbacks, deadline.Token);
            // Scoring is synchronous CPU work: it runs aside so the request can answer at the deadline; the
            // lease goes with it, so the model stays alive until the scoring ends.
            scoring = Task.Run(() =>
            {
                using (lease) return model.Ranker.Score(input);
            }, CancellationToken.None);
            var output = await scoring.WaitAsync(deadline.Token);
            fallbacks.AddRange(output.Fallbacks);
            metrics.CachedCandidates.Inc(output.Cached);
            metrics.Fallbacks.Inc(fallbacks.Count);
            return Respond(model, candidates, output, fallbacks, request.TopK);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            metrics.Timeouts.Inc();
            throw new TimeoutException($"the request took longer than its limit of {options.Timeout.TotalMilliseconds:F0} ms");
        }
        finally
        {
            if (scoring is null) lease.Dispose();
        }
    }

    private (UserInput User, Dictionary<string, object?> Context, IReadOnlyList<CandidateInput> Candidates) Check(RankRequest request, ServedModel model)
    {
        var user = request.User ?? throw new BadInputException("user: is required (an id, features or both)");
        if (user.Id is null && user.Features is null) throw new BadInputException("user: give an id, features or both");
        if (user.Id is { Length: 0 }) throw new BadInputException("user.id: must not be empty");
        var candidates = request.Candidates ?? throw new BadInputException("candidates: is required");
        if (candidates.Count == 0) throw new BadInputException("candidates: at least one candidate is required");
        if (candidates.Count > options.MaxCandidates)
            throw new BadInputException($"candidates: {candidates.Count} candidates, at most {options.MaxCandidates} per request");
        if (request.TopK is { } k && (k < 1 || k > candidates.Count))
            throw new BadInputException($"top_k: must be between 1 and the number of candidates ({candidates.Count}), got {k}");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i] ?? throw new BadInputException($"candidates[{i}]: must be an object, got null");
            if (string.IsNullOrEmpty(c.Id)) throw new BadInputException($"candidates[{i}].id: is required");
            if (!ids.Add(c.Id)) throw new BadInputException($"candidates[{i}].id: '{c.Id}' appears twice");
            if (string.IsNullOrEmpty(c.Source)) throw new BadInputException($"candidates[{i}].source: is required ({string.Join(" or ", model.Sources)})");
            if (!model.Sources.Contains(c.Source))
                throw new BadInputException($"candidates[{i}].source: '{c.Source}' is not a source of this model ({string.Join(", ", model.Sources)})");
        }
        IReadOnlyList<CandidateInput> present = candidates!; // every element was checked above
        return (user, new Dictionary<string, object?>(request.Context ?? Empty, StringComparer.Ordinal), present);
    }

    private async Task<RankInput> ResolveAsync(UserInput user, Dictionary<string, object?> context, IReadOnlyList<CandidateInput> candidates,
                                               List<string> fallbacks, CancellationToken cancellationToken)
    {
        var lookups = new Dictionary<(EntityKind, string), Task<IReadOnlyDictionary<string, object?>?>>();
        void Want(EntityKind kind, string? id)
        {
            if (store is not null && !string.IsNullOrEmpty(id) && !lookups.ContainsKey((kind, id)))
                lookups[(kind, id)] = store.GetAsync(kind, id, cancellationToken).AsTask();
        }
        Want(EntityKind.User, user.Id);
        foreach (var c in candidates)
        {
            Want(EntityKind.Show, c.ShowId);
            Want(EntityKind.Creative, c.CreativeId);
        }
        await Task.WhenAll(lookups.Values).WaitAsync(cancellationToken);

        var reported = new HashSet<(EntityKind, string)>();
        IReadOnlyDictionary<string, object?>? Stored(EntityKind kind, string? id, string field, bool inline)
        {
            if (string.IsNullOrEmpty(id)) return null;
            if (store is null)
            {
                if (reported.Add((kind, id)) && kind == EntityKind.User)
                    fallbacks.Add($"{field} '{id}': no feature store is configured; {(inline ? "scored with the request's features" : "its features are missing")}");
                return null;
            }
            var found = lookups[(kind, id)].Result;
            if (found is null && reported.Add((kind, id)))
                fallbacks.Add($"{field} '{id}': not in the feature store; {(inline ? "scored with the request's features (missing ones fall back to OOV)" : "its features fall back to OOV")}");
            return found;
        }

        var userValues = Merge(Stored(EntityKind.User, user.Id, "user.id", user.Features is not null));
        if (user.Id is not null) userValues["user_id"] = user.Id;
        if (user.Features is not null) Overlay(userValues, user.Features);

        var scored = new RankCandidate[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var inline = c.Features is not null;
            var values = Merge(Stored(EntityKind.Show, c.ShowId, $"candidates[{i}].show_id", inline),
                               Stored(EntityKind.Creative, c.CreativeId, $"candidates[{i}].creative_id", inline));
            if (c.ShowId is not null) values["show_id"] = c.ShowId;
            if (c.CreativeId is not null) values["creative_id"] = c.CreativeId;
            if (c.CampaignId is not null) values["campaign_id"] = c.CampaignId;
            if (c.Features is not null) Overlay(values, c.Features);
            scored[i] = new RankCandidate(c.Id!, c.Source!, values);
        }
        return new RankInput(userValues, context, scored);
    }

    private static Dictionary<string, object?> Merge(params IReadOnlyDictionary<string, object?>?[] layers)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var layer in layers)
            if (layer is not null) Overlay(values, layer);
        return values;
    }

    private static void Overlay(Dictionary<string, object?> values, IReadOnlyDictionary<string, object?> top)
    {
        foreach (var (k, v) in top) values[k] = v;
    }

    private RankResponse Respond(ServedModel model, IReadOnlyList<CandidateInput> candidates, RankOutput output, List<string> fallbacks, int? topK)
    {
        if (output.Candidates.Count != candidates.Count)
            throw new InvalidOperationException($"the ranker returned {output.Candidates.Count} scores for {candidates.Count} candidates");
        var ranked = output.Candidates
            .Select((s, i) => new RankedCandidate(s.Id, candidates[i].Source!, (float?)options.Objective.Score(s, candidates[i].Source!, model.Tasks), s.Probabilities))
            .OrderByDescending(c => c.Score ?? double.NegativeInfinity) // stable: ties keep the request's order
            .Take(topK ?? candidates.Count)
            .ToArray();
        return new RankResponse(model.Name, model.Version, options.Objective.Text, ranked, fallbacks);
    }
}
