using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// One label asked of <see cref="DatasetInit"/>: <c>[name:]column[=value]</c>. Without a value the column must
/// hold 0/1 (or booleans); with one, the label is 1 where the column's text equals the value after trimming
/// spaces and one trailing period (UCI's adult.test writes <c>&gt;50K.</c> where adult.data writes <c>&gt;50K</c>).
/// </summary>
public sealed record InitLabel(string Name, string Column, string? Value)
{
    /// <summary>Parses a comma-separated list such as <c>income:class=&gt;50K,never_married:marital-status=Never-married</c>.</summary>
    public static IReadOnlyList<InitLabel> ParseList(string? specs)
    {
        if (string.IsNullOrWhiteSpace(specs)) return [];
        var labels = specs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        var dup = labels.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new BadInputException($"--labels: label '{dup.Key}' is named twice");
        return labels;
    }

    public static InitLabel Parse(string spec)
    {
        int eq = spec.IndexOf('=', StringComparison.Ordinal);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string? name = null;
        var rest = spec;
        if (colon > 0 && (eq < 0 || colon < eq))
        {
            name = spec[..colon].Trim();
            rest = spec[(colon + 1)..];
            eq = rest.IndexOf('=', StringComparison.Ordinal);
        }
        var column = (eq < 0 ? rest : rest[..eq]).Trim();
        var value = eq < 0 ? null : rest[(eq + 1)..].Trim();
        if (column.Length == 0 || name is "" || value is "")
            throw new BadInputException($"--labels: '{spec}' is not [name:]column[=value]");
        return new InitLabel(name ?? column, column, value);
    }
}
