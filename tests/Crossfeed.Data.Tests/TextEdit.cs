namespace Crossfeed.Data.Tests;

internal static class TextEdit
{
    /// <summary>
    /// Replaces every occurrence of <paramref name="old"/>; throws when there is none, so a fixture whose text
    /// drifted fails loudly instead of silently testing the unedited text.
    /// </summary>
    public static string Edit(this string text, string old, string replacement) =>
        text.Contains(old, StringComparison.Ordinal)
            ? text.Replace(old, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"'{old}' is not in the text to edit");
}
