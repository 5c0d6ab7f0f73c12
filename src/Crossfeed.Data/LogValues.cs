using System.Collections;
using System.Globalization;
using System.Numerics;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// A log cell as a plain .NET value, the form the serving side takes raw features in: string, long, double,
/// bool, string[] / long[] / double[] for lists and vectors, or null. Integers that do not fit a long and
/// dates become text (dates as the categorical encoding spells them), so every value has one of these types.
/// </summary>
internal static class LogValues
{
    public static object? Read(DuckDBDataReader r, Cell c)
    {
        if (r.IsDBNull(c.Ordinal)) return null;
        return c.Kind switch
        {
            CellKind.List => List((IEnumerable)r.GetValue(c.Ordinal), c.Element),
            CellKind.Integer => r.GetInt64(c.Ordinal),
            CellKind.Floating => r.GetDouble(c.Ordinal),
            CellKind.Decimal => (double)r.GetDecimal(c.Ordinal),
            CellKind.Boolean => r.GetBoolean(c.Ordinal),
            CellKind.Text => r.GetString(c.Ordinal),
            _ => c.Category(r).ToString(),
        };
    }

    /// <summary>
    /// Lists keep their item type; null items are dropped from number lists (a long[] or double[] cannot hold
    /// them, and the encoder skips null list items anyway) and kept in text lists.
    /// </summary>
    private static object List(IEnumerable items, CellKind element)
    {
        switch (element)
        {
            case CellKind.Integer:
                return items.Cast<object?>().Where(v => v is not null).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
            case CellKind.Floating:
            case CellKind.Decimal:
                return items.Cast<object?>().Where(v => v is not null).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
            default:
                return items.Cast<object?>().Select(v => v switch
                {
                    null => null,
                    string s => s,
                    BigInteger b => b.ToString(CultureInfo.InvariantCulture),
                    _ => Convert.ToString(v, CultureInfo.InvariantCulture),
                }).ToArray();
        }
    }

    /// <summary>The id a key value is looked up by: integers in invariant decimal (as categorical keys are spelled), text as is.</summary>
    public static string KeyText(DuckDBDataReader r, Cell c) => c.Text(r);
}
