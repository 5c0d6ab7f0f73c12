using System.Globalization;
using System.Numerics;
using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>
/// A column of the current result, bound by name, with typed reads that validate as they go and
/// throw <see cref="BadInputException"/> naming file, column and row.
/// </summary>
internal sealed class Cell
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    public Cell(string name, int ordinal, CellKind kind, CellKind element, string duckType)
    {
        Name = name;
        Ordinal = ordinal;
        Kind = kind;
        Element = element;
        DuckType = duckType;
    }

    public string Name { get; }
    public int Ordinal { get; }
    public CellKind Kind { get; }
    /// <summary>For lists and arrays: the kind of the items.</summary>
    public CellKind Element { get; }
    public string DuckType { get; }

    public bool IsNumber => Kind is CellKind.Integer or CellKind.UInt64 or CellKind.HugeInteger or CellKind.Floating or CellKind.Decimal or CellKind.Boolean;
    public bool IsTemporal => Kind is CellKind.Date or CellKind.Timestamp;

    public string Describe() => Kind switch
    {
        CellKind.Text => $"text ({DuckType})",
        CellKind.List => $"lists ({DuckType})",
        _ => DuckType,
    };

    public static Cell Bind(DuckDBDataReader r, int ordinal)
    {
        var type = r.GetFieldType(ordinal);
        var duckType = r.GetDataTypeName(ordinal).ToUpperInvariant();
        var kind = Classify(type);
        var element = CellKind.Other;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            kind = CellKind.List;
            element = Classify(type.GetGenericArguments()[0]);
        }
        return new Cell(r.GetName(ordinal), ordinal, kind, element, duckType);
    }

    private static CellKind Classify(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte)
            || t == typeof(uint) || t == typeof(ushort) || t == typeof(byte)) return CellKind.Integer;
        if (t == typeof(ulong)) return CellKind.UInt64;
        if (t == typeof(BigInteger)) return CellKind.HugeInteger;
        if (t == typeof(double) || t == typeof(float)) return CellKind.Floating;
        if (t == typeof(decimal)) return CellKind.Decimal;
        if (t == typeof(bool)) return CellKind.Boolean;
        if (t == typeof(string)) return CellKind.Text;
        if (t == typeof(DateOnly)) return CellKind.Date;
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return CellKind.Timestamp;
        return CellKind.Other;
    }

    public bool IsNull(DuckDBDataReader r) => r.IsDBNull(Ordinal);

    public BadInputException Error(IRowPosition at, string what) => BadInputException.At(at.File, Name, at.Row, what);

    /// <summary>The value of a non-null cell as a number. Text is parsed (invariant culture); timestamps and dates are Unix seconds (UTC).</summary>
    public double Number(DuckDBDataReader r, IRowPosition at)
    {
        switch (Kind)
        {
            case CellKind.Integer: return r.GetInt64(Ordinal);
            case CellKind.UInt64: return r.GetFieldValue<ulong>(Ordinal);
            case CellKind.HugeInteger: return (double)r.GetFieldValue<BigInteger>(Ordinal);
            case CellKind.Floating: return r.GetDouble(Ordinal);
            case CellKind.Decimal: return (double)r.GetDecimal(Ordinal);
            case CellKind.Boolean: return r.GetBoolean(Ordinal) ? 1 : 0;
            case CellKind.Date:
            case CellKind.Timestamp: return (r.GetDateTime(Ordinal).Ticks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond;
            case CellKind.Text:
                var s = r.GetString(Ordinal);
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
                throw Error(at, $"expected a number, got '{Clip(s)}'");
            default:
                throw Error(at, $"expected a number, the column holds {Describe()}");
        }
    }

    /// <summary>A number that must be finite (NaN and infinities are bad input).</summary>
    public double FiniteNumber(DuckDBDataReader r, IRowPosition at)
    {
        var v = Number(r, at);
        if (!double.IsFinite(v)) throw Error(at, $"{Spell(v)} is not allowed in a numeric column");
        return v;
    }

    /// <summary>A label: 0 or 1 as integer, boolean, 0.0/1.0 or the text of those; NaN when null.</summary>
    public float Label(DuckDBDataReader r, IRowPosition at)
    {
        if (r.IsDBNull(Ordinal)) return float.NaN;
        double v;
        if (Kind == CellKind.Text)
        {
            var s = r.GetString(Ordinal).Trim();
            if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) return 1;
            if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) return 0;
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                throw Error(at, $"a label must be 0, 1 or empty, got '{Clip(s)}'");
        }
        else
        {
            v = Number(r, at);
        }
        if (v == 0) return 0;
        if (v == 1) return 1;
        throw Error(at, $"a label must be 0, 1 or empty, got {Spell(v)}");
    }

    public CategoryValue Category(DuckDBDataReader r)
    {
        if (r.IsDBNull(Ordinal)) return CategoryValue.Null;
        switch (Kind)
        {
            case CellKind.Integer: return CategoryValue.Of(r.GetInt64(Ordinal));
            case CellKind.Text: return CategoryValue.Of(r.GetString(Ordinal));
            case CellKind.UInt64:
                var u = r.GetFieldValue<ulong>(Ordinal);
                return u <= long.MaxValue ? CategoryValue.Of((long)u) : CategoryValue.Of(u.ToString(CultureInfo.InvariantCulture));
            case CellKind.HugeInteger:
                var b = r.GetFieldValue<BigInteger>(Ordinal);
                return b >= long.MinValue && b <= long.MaxValue ? CategoryValue.Of((long)b) : CategoryValue.Of(b.ToString(CultureInfo.InvariantCulture));
            case CellKind.Floating: return CategoryValue.Of(r.GetDouble(Ordinal));
            case CellKind.Decimal: return CategoryValue.Of((double)r.GetDecimal(Ordinal));
            case CellKind.Boolean: return CategoryValue.Of(r.GetBoolean(Ordinal));
            case CellKind.Date: return CategoryValue.Of(r.GetDateTime(Ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case CellKind.Timestamp: return CategoryValue.Of(r.GetDateTime(Ordinal).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            default: return CategoryValue.Of(Convert.ToString(r.GetValue(Ordinal), CultureInfo.InvariantCulture) ?? "");
        }
    }

    /// <summary>Text of a non-null scalar cell (keys, modality, slot).</summary>
    public string Text(DuckDBDataReader r)
    {
        if (Kind == CellKind.Text) return r.GetString(Ordinal);
        var c = Category(r);
        return c.ToString();
    }

    /// <summary>Appends the items of a list cell (a list column, or text like "[1, 2, 3]") to <paramref name="into"/>; nulls inside the list are skipped.</summary>
    public void ListItems(DuckDBDataReader r, IRowPosition at, List<CategoryValue> into)
    {
        into.Clear();
        if (r.IsDBNull(Ordinal)) return;
        if (Kind == CellKind.Text)
        {
            foreach (var item in SplitListText(r.GetString(Ordinal), at))
                if (item.Length > 0) into.Add(CategoryValue.Of(item));
            return;
        }
        switch (Element)
        {
            case CellKind.Integer:
                List<long> longs;
                try
                {
                    longs = r.GetFieldValue<List<long>>(Ordinal);
                }
                catch (InvalidCastException)
                {
                    // The fast path refuses lists holding nulls; this slower one skips them.
                    foreach (var v in r.GetFieldValue<List<long?>>(Ordinal))
                        if (v is { } x) into.Add(CategoryValue.Of(x));
                    break;
                }
                foreach (var x in longs) into.Add(CategoryValue.Of(x));
                break;
            case CellKind.Text:
                foreach (var v in r.GetFieldValue<List<string?>>(Ordinal))
                    if (v is not null) into.Add(CategoryValue.Of(v));
                break;
            case CellKind.Floating:
                foreach (var v in r.GetFieldValue<List<double?>>(Ordinal))
                    if (v is { } x) into.Add(CategoryValue.Of(x));
                break;
            default:
                throw Error(at, $"list items of type {DuckType} cannot be categories");
        }
    }

    /// <summary>Writes a vector cell of exactly dst.Length finite numbers into dst; a null cell gives zeros.</summary>
    public void Vector(DuckDBDataReader r, IRowPosition at, Span<float> dst)
    {
        if (r.IsDBNull(Ordinal))
        {
            dst.Clear();
            return;
        }
        int n;
        if (Kind == CellKind.Text)
        {
            var items = SplitListText(r.GetString(Ordinal), at);
            n = items.Count;
            CheckLength(at, n, dst.Length);
            for (int i = 0; i < n; i++)
            {
                if (!float.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out dst[i]))
                    throw Error(at, $"vector item {i + 1} is not a number: '{Clip(items[i])}'");
            }
        }
        else
        {
            try
            {
                switch (Element)
                {
                    case CellKind.Floating:
                        var f = r.GetFieldValue<List<float>>(Ordinal);
                        CheckLength(at, f.Count, dst.Length);
                        for (int i = 0; i < f.Count; i++) dst[i] = f[i];
                        break;
                    case CellKind.Integer:
                        var l = r.GetFieldValue<List<long>>(Ordinal);
                        CheckLength(at, l.Count, dst.Length);
                        for (int i = 0; i < l.Count; i++) dst[i] = l[i];
                        break;
                    case CellKind.Decimal:
                        var d = r.GetFieldValue<List<decimal>>(Ordinal);
                        CheckLength(at, d.Count, dst.Length);
                        for (int i = 0; i < d.Count; i++) dst[i] = (float)d[i];
                        break;
                    default:
                        throw Error(at, $"a vector needs numbers, the column holds {DuckType}");
                }
            }
            catch (InvalidCastException)
            {
                throw Error(at, "the vector has an empty (null) item");
            }
        }
        for (int i = 0; i < dst.Length; i++)
            if (!float.IsFinite(dst[i])) throw Error(at, $"vector item {i + 1} is {Spell(dst[i])}; only finite numbers are allowed");
    }

    private void CheckLength(IRowPosition at, int n, int dim)
    {
        if (n != dim) throw Error(at, $"expected a vector of {dim} numbers, got {n}");
    }

    /// <summary>"[a, b, 'c']" to its items; a value without brackets is bad input (a list column needs list syntax in text files).</summary>
    private List<string> SplitListText(string s, IRowPosition at)
    {
        var t = s.AsSpan().Trim();
        if (t.Length < 2 || t[0] != '[' || t[^1] != ']')
            throw Error(at, $"expected a list like [a, b, c], got '{Clip(s)}'");
        var inner = t[1..^1].Trim();
        var items = new List<string>();
        if (inner.Length == 0) return items;
        foreach (var range in inner.Split(','))
        {
            var item = inner[range].Trim();
            if (item.Length >= 2 && (item[0] == '\'' || item[0] == '"') && item[^1] == item[0]) item = item[1..^1];
            items.Add(item.ToString());
        }
        return items;
    }

    internal static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";

    internal static string Spell(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);
}
