using System.Text.RegularExpressions;

namespace Crossfeed;

/// <summary>
/// Edits of config, query or fixture text in tests that fail loudly: a replacement that finds nothing throws,
/// instead of silently leaving the text as it was (and the test testing something else). Linked into every
/// test project by tests/Directory.Build.props.
/// </summary>
public static class TextEdit
{
    /// <summary>Replaces every occurrence of <paramref name="find"/>; throws when there is none.</summary>
    public static string Edit(this string text, string find, string replace) =>
        text.Contains(find, StringComparison.Ordinal)
            ? text.Replace(find, replace, StringComparison.Ordinal)
            : throw new ArgumentException($"'{find}' is not in the text to edit:\n{text}", nameof(find));

    /// <summary>Replaces every match of <paramref name="pattern"/>; throws when nothing matches.</summary>
    public static string EditRegex(this string text, string pattern, string replacement) =>
        Regex.IsMatch(text, pattern)
            ? Regex.Replace(text, pattern, replacement)
            : throw new ArgumentException($"/{pattern}/ matches nothing in the text to edit:\n{text}", nameof(pattern));
}
