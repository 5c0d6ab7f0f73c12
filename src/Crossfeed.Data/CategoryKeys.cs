using System.Globalization;

namespace Crossfeed.Data;

internal static class CategoryKeys
{
    public static bool TryCanonicalLong(string s, out long v)
    {
        v = 0;
        if (s.Length == 0 || s.Length > 20) return false;
        char c0 = s[0];
        if (c0 == '-')
        {
            if (s.Length == 1 || s[1] is < '1' or > '9') return false;
        }
        else if (c0 is < '0' or > '9' || (c0 == '0' && s.Length > 1))
        {
            return false;
        }
        for (int i = 1; i < s.Length; i++)
            if (s[i] is < '0' or > '9') return false;
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v);
    }

    public static string Canonical(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
