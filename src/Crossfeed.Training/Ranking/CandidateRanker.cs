using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training.Ranking;

/// <summary>
/// Scores one user and context against many candidates in process (the HTTP service and the A/B simulator
/// call it). Features of the user and context groups are read from the request's user and context values
/// (a column given in both: the context's), features of the content and creative groups from each candidate.
/// A candidate may also give a user or context column the request leaves out (the placement of an ad slot
/// next to a promotion shelf: slot, modality, layout); it must not contradict a value the request gives.
/// Each candidate gets the calibrated probability sigmoid((logit + ln keep_negatives) / T) of every task whose sources include its
/// source and whose scope admits it; scope roles (modality, slot, content type) are read from the candidate's
/// values by the dataset's analysis column names, else from the request's context and user.
/// </summary>
/// <remarks>
/// With <c>factorised</c> (the default) the user-and-context part of every layer reading the encoder output is
/// computed once per request (<see cref="MultiTaskModel.ForwardFactorised"/>); without it the user row is
/// repeated per candidate through the ordinary forward (the reference). When candidates give user or context
/// columns of their own (each its placement), those columns are scored per candidate and the rest of the user and
/// context once. With a cache capacity, candidates' encoder outputs are kept across calls (<see cref="CandidateCache"/>;
/// requests whose candidates give their own placement in a cache per set of columns given). Thread safety: <see cref="Score"/> may
/// be called from several threads at once. The constructor puts the network in eval mode once and no call
/// changes it; each call has its own encoder output, host-batch builder, dispose scope and no-grad guard
/// (both thread-local in TorchSharp), and the encoder writes looked-up rows only into its own per-call batch.
/// Do not train the network, or call <see cref="TrainedModel.Predict"/> on it while it is in train mode, while
/// a ranker is in use.
/// </remarks>
public sealed class CandidateRanker : IDisposable
{
    /// <summary>Candidate caches kept for requests whose candidates give their own placement, one per set of columns given.</summary>
    public const int MaxSplitCaches = 8;

    private readonly ValueEncoder _encoder;
    private readonly bool[][] _taskSources;
    private readonly (string Role, string Column)[] _scopeRoles;
    private readonly HashSet<string> _sharedColumns;
    private readonly string[] _candidateColumns;
    private readonly ConcurrentDictionary<string, CandidateCache> _splitCaches = new(StringComparer.Ordinal);
    private readonly (FeatureSpec Feature, bool Shared)[] _read;
    private readonly string[] _columns;
    private readonly FrozenDictionary<string, int> _columnIndex;
    private readonly int[] _readAt;
    private readonly int[] _keyAt;
    private readonly int[] _scopeAt;
    private readonly (string Column, int At)[] _sharedAt;

    /// <param name="cacheCapacity">
    /// With factorised scoring, keep the encoder output of up to this many candidates across calls (see
    /// <see cref="CandidateCache"/>); 0 keeps none.
    /// </param>
    public CandidateRanker(TrainedModel model, bool factorised = true, int cacheCapacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCapacity);
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Factorised = factorised;
        _encoder = new ValueEncoder(model.Dataset, model.Preprocessor);
        var sources = model.Dataset.Source.Values;
        _taskSources = model.Model.Tasks.Select(t => sources.Select(s => t.Sources.Contains(s)).ToArray()).ToArray();
        _scopeRoles = model.Dataset.Analysis.TextRoles().ToArray();
        _read = model.Layout.Categorical.Select(c => c.Feature).Concat(model.Layout.Dense.Select(d => d.Feature))
            .Select(name => model.Dataset.Feature(name)!)
            .Select(f => (f, MultiTaskModel.IsShared(f.Group)))
            .ToArray();
        _sharedColumns = _read.Where(r => r.Shared).Select(r => r.Feature.Column).ToHashSet(StringComparer.Ordinal);
        // Every column whose value can change a candidate's encoding or its fallback lines (features the model does not read included).
        _candidateColumns = model.Dataset.Features.Where(f => !MultiTaskModel.IsShared(f.Group)).Select(f => f.Column).Distinct().Order(StringComparer.Ordinal).ToArray();
        // Every column the ranker reads from a candidate's values, numbered: each candidate's are read once per request.
        _columns = _read.Select(r => r.Feature.Column).Concat(_candidateColumns).Concat(_sharedColumns).Concat(_scopeRoles.Select(r => r.Column))
            .Distinct(StringComparer.Ordinal).ToArray();
        _columnIndex = _columns.Select((c, i) => KeyValuePair.Create(c, i)).ToFrozenDictionary(StringComparer.Ordinal);
        _readAt = _read.Select(r => _columnIndex[r.Feature.Column]).ToArray();
        _keyAt = _candidateColumns.Select(c => _columnIndex[c]).ToArray();
        _scopeAt = _scopeRoles.Select(r => _columnIndex[r.Column]).ToArray();
        _sharedAt = _sharedColumns.Order(StringComparer.Ordinal).Select(c => (c, _columnIndex[c])).ToArray();
        Cache = factorised && cacheCapacity > 0 ? new CandidateCache(cacheCapacity, model.Network.FactorisedColumns.Candidate.Length, model.Network.Device) : null;
        model.Network.eval();
    }

    public TrainedModel Model { get; }

    public bool Factorised { get; }

    /// <summary>The candidates' encoder outputs kept across calls; null when not kept.</summary>
    public CandidateCache? Cache { get; }

    public RankOutput Score(RankInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var candidates = input.Candidates;
        var shared = Shared(input.User, input.Context);
        var fallbacks = new HashSet<string>(StringComparer.Ordinal);
        var sources = new int[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            sources[i] = Model.Dataset.SourceIndex(candidates[i].Source);
            if (sources[i] < 0)
                throw new BadInputException($"candidates[{i}] ('{candidates[i].Id}'): unknown source '{candidates[i].Source}'; the model knows: {string.Join(", ", Model.Dataset.Source.Values)}");
        }
        var values = CandidateValues(candidates, out var present);
        var given = Agree(shared, candidates, values);
        var scopes = ScopeValues(shared, values);
        Missing(shared, candidates.Count, present, fallbacks);
        int cached = 0;
        var logits = candidates.Count == 0 ? [] : Logits(shared, candidates, values, sources, fallbacks, given, out cached);

        var tasks = Model.Model.Tasks;
        var probabilities = new float[tasks.Count][];
        for (int k = 0; k < tasks.Count; k++)
        {
            var column = new float[candidates.Count];
            for (int i = 0; i < column.Length; i++) column[i] = logits[i * tasks.Count + k];
            Model.Correct(column, k);
            probabilities[k] = TrainedModel.Probabilities(column, Model.Temperatures[k]);
        }
        var scores = new CandidateScores[candidates.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            var p = new Dictionary<string, float>(tasks.Count, StringComparer.Ordinal);
            for (int k = 0; k < tasks.Count; k++)
                if (_taskSources[k][sources[i]] && tasks[k].Scope.Admits(scopes, i)) p[tasks[k].Name] = probabilities[k][i];
            scores[i] = new CandidateScores(candidates[i].Id, p);
        }
        return new RankOutput(scores, fallbacks.Order(StringComparer.Ordinal).ToArray(), cached);
    }

    /// <summary>Logits row-major [candidate, task]; <paramref name="given"/>: the user and context columns some candidate gives.</summary>
    private float[] Logits(IReadOnlyDictionary<string, object?> shared, IReadOnlyList<RankCandidate> candidates, object?[][] values, int[] sources,
                           HashSet<string> fallbacks, HashSet<string> given, out int cached)
    {
        cached = 0;
        var net = Model.Network;
        var builder = new HostBatchBuilder(Model.Layout);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        torch.Tensor logits;
        if (Factorised)
        {
            // The user's and context's values are read once for the shared row, each candidate's own for its row. User or
            // context columns some candidate gives (its own placement) are scored per candidate: the request's value where
            // it gives one (no candidate may contradict it), else the candidate's.
            var split = Split(given);
            var user = _encoder.Encode([shared], [0], fallbacks, f => MultiTaskModel.IsShared(f.Group) && !given.Contains(f.Column));
            var own = CandidateColumns(shared, candidates, values, sources, fallbacks, builder, split, out cached);
            logits = net.ForwardFactorised(net.EncodeShared(new DeviceBatch(builder.Build(user, [0]), net.Device), split.PerCandidate), own, split.PerCandidate);
        }
        else
        {
            var rows = _encoder.Encode(candidates.Select(c => (IReadOnlyDictionary<string, object?>)new RowView(shared, c.Features, _sharedColumns)).ToArray(), sources, fallbacks);
            logits = net.call(new DeviceBatch(builder.Build(rows, Enumerable.Range(0, candidates.Count).ToArray()), net.Device));
        }
        return logits.cpu().data<float>().ToArray();
    }

    /// <summary>
    /// How a request splits between the shared row and the candidates' rows: <see cref="Given"/> user and context
    /// columns move to the candidates' side (<see cref="PerCandidate"/>: those features; null when none); a candidate
    /// row's cache key reads <see cref="KeyColumns"/>.
    /// </summary>
    private sealed record RequestSplit(IReadOnlySet<string> Given, IReadOnlySet<string>? PerCandidate, string[] KeyColumns)
    {
        public bool ReadsForCandidates(FeatureSpec f) => !MultiTaskModel.IsShared(f.Group) || Given.Contains(f.Column);
    }

    private RequestSplit Split(HashSet<string> given) => given.Count == 0
        ? new RequestSplit(given, null, _candidateColumns)
        : new RequestSplit(given,
            _read.Where(r => r.Shared && given.Contains(r.Feature.Column)).Select(r => r.Feature.Name).ToHashSet(StringComparer.Ordinal),
            [.. _candidateColumns, .. given.Order(StringComparer.Ordinal)]);

    /// <summary>The candidates' encoder output columns [N, Dc] of the split: from its cache where it holds them, the others encoded (and cached).</summary>
    private torch.Tensor CandidateColumns(IReadOnlyDictionary<string, object?> shared, IReadOnlyList<RankCandidate> candidates, object?[][] values,
                                          int[] sources, HashSet<string> fallbacks, HostBatchBuilder builder, RequestSplit split, out int cached)
    {
        cached = 0;
        IReadOnlyDictionary<string, object?> Row(int i) =>
            split.Given.Count == 0 ? candidates[i].Features : new RowView(shared, candidates[i].Features, _sharedColumns);
        torch.Tensor Encode(int[] which, ISet<string> found)
        {
            var rows = _encoder.Encode(which.Select(Row).ToArray(), which.Select(i => sources[i]).ToArray(), found, split.ReadsForCandidates);
            return Model.Network.EncodeCandidates(new DeviceBatch(builder.Build(rows, Enumerable.Range(0, which.Length).ToArray()), Model.Network.Device), split.PerCandidate);
        }
        string[] OwnFallbacks(int i)
        {
            var lines = new HashSet<string>(StringComparer.Ordinal);
            _encoder.Encode([Row(i)], [sources[i]], lines, split.ReadsForCandidates);
            return [.. lines];
        }

        var all = Enumerable.Range(0, candidates.Count).ToArray();
        if (CacheOf(split) is not { } cache) return Encode(all, fallbacks);
        var keys = split.Given.Count == 0
            ? all.Select(i => CandidateKey.Of(values[i], _keyAt, Absent)).ToArray()
            : all.Select(i => CandidateKey.Of(Row(i), split.KeyColumns)).ToArray();
        return cache.Rows(keys, fallbacks, Encode, OwnFallbacks, out cached);
    }

    /// <summary>
    /// The cache of a split: one per set of user and context columns candidates give (their rows differ in width),
    /// at most <see cref="MaxSplitCaches"/> of them; null when caching is off or that many are taken by other splits.
    /// </summary>
    private CandidateCache? CacheOf(RequestSplit split)
    {
        if (Cache is null) return null;
        if (split.PerCandidate is null) return Cache;
        var name = string.Join('\u001f', split.Given.Order(StringComparer.Ordinal));
        if (_splitCaches.TryGetValue(name, out var cache)) return cache;
        lock (_splitCaches)
        {
            if (_splitCaches.TryGetValue(name, out cache)) return cache;
            if (_splitCaches.Count >= MaxSplitCaches) return null;
            cache = new CandidateCache(Cache.Capacity, Model.Network.Partition(split.PerCandidate).Candidate.Length, Model.Network.Device);
            _splitCaches[name] = cache;
            return cache;
        }
    }

    /// <summary>Frees the cache's rows (the model is not the ranker's to dispose).</summary>
    public void Dispose()
    {
        Cache?.Dispose();
        foreach (var cache in _splitCaches.Values) cache.Dispose();
    }

    /// <summary>Not among a candidate's values (a value given as null is null).</summary>
    private static readonly object Absent = new();

    /// <summary>
    /// Each candidate's values of the ranker's columns by column number, <see cref="Absent"/> where it gives none, and per
    /// column how many candidates give a value (<see cref="Present"/>). Read once per request for every check and key:
    /// a dictionary keyed by ordinal column names is walked once, each name looked up in the ranker's frozen table,
    /// instead of being probed once per column.
    /// </summary>
    private object?[][] CandidateValues(IReadOnlyList<RankCandidate> candidates, out int[] present)
    {
        var all = new object?[candidates.Count][];
        present = new int[_columns.Length];
        for (int i = 0; i < all.Length; i++)
        {
            var values = new object?[_columns.Length];
            Array.Fill(values, Absent);
            var features = candidates[i].Features;
            if (features is Dictionary<string, object?> d && (ReferenceEquals(d.Comparer, StringComparer.Ordinal) || ReferenceEquals(d.Comparer, EqualityComparer<string>.Default)))
            {
                foreach (var (column, value) in d)
                    if (_columnIndex.TryGetValue(column, out int at))
                    {
                        values[at] = value;
                        if (Present(value)) present[at]++;
                    }
            }
            else
            {
                for (int c = 0; c < _columns.Length; c++)
                    if (features.TryGetValue(_columns[c], out var value))
                    {
                        values[c] = value;
                        if (Present(value)) present[c]++;
                    }
            }
            all[i] = values;
        }
        return all;
    }

    /// <summary>
    /// A candidate may give a user or context column only where the request does not, or with the same value.
    /// Returns the user and context columns some candidate gives (scored per candidate, not once).
    /// </summary>
    private HashSet<string> Agree(IReadOnlyDictionary<string, object?> shared, IReadOnlyList<RankCandidate> candidates, object?[][] values)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
            foreach (var (column, at) in _sharedAt)
            {
                var own = values[i][at];
                if (ReferenceEquals(own, Absent)) continue;
                given.Add(column);
                if (shared.TryGetValue(column, out var request) && own is not null && request is not null
                    && own is not IEnumerable<object> && !Equals(own, request) && own.ToString() != request.ToString())
                    throw new BadInputException($"candidates[{i}] ('{candidates[i].Id}'): {column} '{own}' contradicts the request's {column} '{request}', which every candidate shares");
            }
        return given;
    }

    /// <summary>The user's values overlaid by the context's.</summary>
    private static Dictionary<string, object?> Shared(IReadOnlyDictionary<string, object?> user, IReadOnlyDictionary<string, object?> context)
    {
        var shared = new Dictionary<string, object?>(user, StringComparer.Ordinal);
        foreach (var (k, v) in context) shared[k] = v;
        return shared;
    }

    /// <summary>
    /// Per scope role, each candidate's value: its own, else the request's.
    /// </summary>
    private Dictionary<string, string?[]> ScopeValues(IReadOnlyDictionary<string, object?> shared, object?[][] candidates)
    {
        var values = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        for (int k = 0; k < _scopeRoles.Length; k++)
        {
            var (role, column) = _scopeRoles[k];
            int at = _scopeAt[k];
            var requestValue = shared.TryGetValue(column, out var v) ? ValueEncoder.Text(v, column) : null;
            var perCandidate = new string?[candidates.Length];
            for (int i = 0; i < perCandidate.Length; i++)
            {
                var own = candidates[i][at];
                perCandidate[i] = (ReferenceEquals(own, Absent) ? null : ValueEncoder.Text(own, column)) ?? requestValue;
            }
            values[role] = perCandidate;
        }
        return values;
    }

    /// <summary>
    /// One line per feature the model reads that the request or some candidates leave out (scored as missing);
    /// <paramref name="present"/>: per column, the candidates giving a value.
    /// </summary>
    private void Missing(IReadOnlyDictionary<string, object?> shared, int candidates, int[] present, HashSet<string> fallbacks)
    {
        for (int r = 0; r < _read.Length; r++)
        {
            var (f, isShared) = _read[r];
            if (isShared && shared.TryGetValue(f.Column, out var value) && Present(value)) continue;
            int given = present[_readAt[r]];
            if (isShared && given == 0)
            {
                fallbacks.Add($"{f.Column}: not given for the user or context; scored as missing");
                continue;
            }
            int absent = candidates - given;
            if (absent > 0) fallbacks.Add($"{f.Column}: not given for {absent} of {candidates} candidates; scored as missing");
        }
    }

    private static bool Present(object? v) =>
        v is not null && !ReferenceEquals(v, Absent) && !(v is System.Text.Json.JsonElement e && e.ValueKind == System.Text.Json.JsonValueKind.Null);

    /// <summary>
    /// A row read through the request: every column from the candidate's values, shared-group columns the
    /// request gives from the request's (a candidate may not contradict them, see Agree).
    /// </summary>
    private sealed class RowView(IReadOnlyDictionary<string, object?> shared, IReadOnlyDictionary<string, object?> candidate, HashSet<string> sharedColumns)
        : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => this.Select(kv => kv.Key);

        public IEnumerable<object?> Values => this.Select(kv => kv.Value);

        public int Count => Enumerable.Count(this);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) =>
            sharedColumns.Contains(key) && shared.TryGetValue(key, out value) || candidate.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
            shared.Where(kv => sharedColumns.Contains(kv.Key))
                .Concat(candidate.Where(kv => !sharedColumns.Contains(kv.Key) || !shared.ContainsKey(kv.Key)))
                .GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
