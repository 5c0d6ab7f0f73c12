namespace Crossfeed.Serving.Tests;

/// <summary>
/// Edits of config text that fail loudly: a plain or regex replacement that finds nothing throws, instead of
/// silently leaving the config as it was (and the test testing something else).
/// </summary>
public static class ConfigEdit
{
    public static string Replace(string text, string find, string replace) =>
        text.Contains(find, StringComparison.Ordinal)
            ? text.Replace(find, replace, StringComparison.Ordinal)
            : throw new ArgumentException($"'{find}' is not in the config text:\n{text}", nameof(find));

    public static string RegexReplace(string text, string pattern, string replacement) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, pattern)
            ? System.Text.RegularExpressions.Regex.Replace(text, pattern, replacement)
            : throw new ArgumentException($"/{pattern}/ matches nothing in the config text:\n{text}", nameof(pattern));
}
