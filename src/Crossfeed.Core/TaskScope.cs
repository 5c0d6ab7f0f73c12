namespace Crossfeed.Core;

/// <summary>
/// The part of a source's rows a task is about, by analysis text roles: e.g. { modality: [audio] } or
/// { slot: [audio_music_break] }. A role that is not listed does not restrict; an empty scope is every row.
/// Tasks with scopes are how tasks are grouped by modality, slot or content type (CAMoE).
/// </summary>
public sealed class TaskScope : IEquatable<TaskScope>
{
    public const string Modality = "modality";
    public const string Slot = "slot";
    public const string ContentType = "content_type";

    /// <summary>The roles a scope can restrict, with the YAML key of a task that lists them.</summary>
    public static readonly IReadOnlyList<(string Role, string Key)> Roles =
        [(Modality, "modalities"), (Slot, "slots"), (ContentType, "content_types")];

    public static readonly TaskScope All = new(new Dictionary<string, IReadOnlyList<string>>());

    private readonly SortedDictionary<string, IReadOnlyList<string>> _values;

    /// <param name="values">Role to allowed values (kept sorted, so equal sets give equal scopes); roles with no values are dropped.</param>
    public TaskScope(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        _values = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (role, allowed) in values)
        {
            if (!Roles.Any(r => r.Role == role)) throw new ArgumentException($"unknown scope role '{role}'", nameof(values));
            if (allowed.Count > 0) _values[role] = allowed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>A scope restricting one role.</summary>
    public static TaskScope Of(string role, params string[] values) =>
        new(new Dictionary<string, IReadOnlyList<string>> { [role] = values });

    /// <summary>True when every row is in scope.</summary>
    public bool IsAll => _values.Count == 0;

    /// <summary>The restricted roles and their allowed values, in role order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values => _values;

    /// <summary>The allowed values of a role; empty when the role does not restrict.</summary>
    public IReadOnlyList<string> this[string role] => _values.GetValueOrDefault(role) ?? [];

    /// <summary>True when a row whose role values are given (null: unknown) is in scope; an unknown value is outside any restricted role.</summary>
    public bool Admits(IReadOnlyDictionary<string, string?[]> values, int row)
    {
        foreach (var (role, allowed) in _values)
            if (!values.TryGetValue(role, out var column) || column[row] is not { } v || !allowed.Contains(v, StringComparer.Ordinal)) return false;
        return true;
    }

    /// <summary>True when every row in <paramref name="other"/> is also in this scope (this is at least as wide).</summary>
    public bool Covers(TaskScope other)
    {
        foreach (var (role, allowed) in _values)
        {
            var theirs = other[role];
            if (theirs.Count == 0 || theirs.Any(v => !allowed.Contains(v, StringComparer.Ordinal))) return false;
        }
        return true;
    }

    /// <summary>"modality=audio; slot=a|b", or "all".</summary>
    public override string ToString() =>
        IsAll ? "all" : string.Join("; ", _values.Select(kv => $"{kv.Key}={string.Join("|", kv.Value)}"));

    public bool Equals(TaskScope? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as TaskScope);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
