namespace Crossfeed.Core;

/// <summary>
/// Input the user can fix (a file, column, row, option or config key). Hosts map it to exit code 2
/// (CLI) or a 4xx ProblemDetails (HTTP); it never carries a stack trace to the user.
/// </summary>
public sealed class BadInputException : Exception
{
    public BadInputException(string message) : base(message) { }

    public BadInputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Builds "FILE: column 'C', row R: WHAT" with only the parts that apply.</summary>
    public static BadInputException At(string? file, string? column, long? row, string what)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(file)) parts.Add(file);
        var where = new List<string>(2);
        if (!string.IsNullOrEmpty(column)) where.Add($"column '{column}'");
        if (row is { } r) where.Add($"row {r}");
        if (where.Count > 0) parts.Add(string.Join(", ", where));
        parts.Add(what);
        return new BadInputException(string.Join(": ", parts));
    }
}
