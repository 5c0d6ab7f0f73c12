using System.Globalization;

namespace Crossfeed.Data;

/// <summary>One categorical value: null, an integer, or text that is not a canonical integer.</summary>
internal readonly struct CategoryValue
{
    public readonly long Long;
    public readonly string? Text;
    public readonly bool IsNull;
    public readonly bool IsLong;

    private CategoryValue(long l, string? s, bool isNull, bool isLong)
    {
        Long = l;
        Text = s;
        IsNull = isNull;
        IsLong = isLong;
    }

    public static readonly CategoryValue Null = new(0, null, true, false);

    public static CategoryValue Of(long v) => new(v, null, false, true);

    /// <summary>Text that spells a canonical integer ("42", not "042" or "+42") becomes that integer, so a value is the same key whether the file stores it as a number or as text.</summary>
    public static CategoryValue Of(string s) => CategoryKeys.TryCanonicalLong(s, out var v) ? new(v, null, false, true) : new(0, s, false, false);

    /// <summary>A whole number below 9e15 is that integer (1.0 and 1 are one key); other doubles are their round-trip text.</summary>
    public static CategoryValue Of(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9.0e15 ? Of((long)d) : Of(CategoryKeys.Canonical(d));

    public static CategoryValue Of(bool b) => Of(b ? "true" : "false");

    public override string ToString() => IsNull ? "null" : IsLong ? Long.ToString(CultureInfo.InvariantCulture) : Text!;
}
