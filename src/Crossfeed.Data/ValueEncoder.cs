using System.Collections;
using System.Globalization;
using System.Text.Json;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Encodes raw values held in memory (a scoring request, not a file) into an <see cref="EncodedSplit"/> with
/// the same vocabularies, OOV rows, hashing, list truncation and numeric transforms as the file path
/// (<see cref="DatasetLoader"/>): both go through <see cref="CategoricalTable"/>, <see cref="CategoryValue"/>
/// and <see cref="EncodingRules"/>. A row is a dictionary from the dataset's column names to values: string,
/// long, int, double, float, decimal, bool, a sequence (list features and vectors), a
/// <see cref="JsonElement"/> of those, or null / absent (missing). Immutable and thread-safe.
/// </summary>
public sealed class ValueEncoder
{
    private readonly DatasetConfig _dataset;
    private readonly Preprocessor _preprocessor;
    private readonly EncodeLayout _layout;

    public ValueEncoder(DatasetConfig dataset, Preprocessor preprocessor)
    {
        preprocessor.CheckCompatible(dataset);
        _dataset = dataset;
        _preprocessor = preprocessor;
        _layout = new EncodeLayout(dataset, preprocessor);
    }

    /// <summary>The index of a source value in the dataset's source.values; unknown values are bad input naming them.</summary>
    public int SourceIndex(string source)
    {
        int i = _dataset.SourceIndex(source);
        if (i < 0) throw new BadInputException($"source: unknown source '{Cell.Clip(source)}'; source.values are: {string.Join(", ", _dataset.Source.Values)}");
        return i;
    }

    /// <summary>
    /// One encoded row per dictionary, in order, with source index <paramref name="sources"/>[i]. Labels are
    /// unknown (NaN); analysis and key columns are taken from the rows when present. Every value that fell to an
    /// out-of-vocabulary row is added to <paramref name="fallbacks"/> once. A value of the wrong type for its
    /// feature (text for a numeric, a scalar for a list, a vector of the wrong length, a non-finite number) is a
    /// <see cref="BadInputException"/> naming the column. With <paramref name="reads"/>, only the features it admits are
    /// read; the others are encoded as missing without looking at the rows (a ranker encoding the user once and the
    /// candidates' own features once each).
    /// </summary>
    public EncodedSplit Encode(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, IReadOnlyList<int> sources, ISet<string>? fallbacks = null,
                               Func<FeatureSpec, bool>? reads = null)
    {
        var read = Reads(_layout.Categorical, reads);
        var readDense = Reads(_layout.Dense, reads);
        var readBinned = Reads(_layout.Binned, reads);
        var readPiecewise = Reads(_layout.Piecewise, reads);
        if (sources.Count != rows.Count) throw new ArgumentException($"{sources.Count} sources for {rows.Count} rows", nameof(sources));
        var b = new SplitBuilder(_layout, withTime: false, capacity: rows.Count);
        var items = new List<CategoryValue>();
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if ((uint)sources[r] >= (uint)_dataset.Source.Values.Count) throw new ArgumentOutOfRangeException(nameof(sources), sources[r], "not a source index");
            b.Source.Add(sources[r]);
            for (int i = 0; i < _layout.Categorical.Length; i++)
            {
                var f = _layout.Categorical[i];
                var table = _preprocessor.TableOf(f.Name);
                var value = read[i] ? Value(row, f.Column) : null;
                if (f.Kind == FeatureKind.Categorical)
                {
                    b.Ids[i].Add(Id(table, f, Category(value, f.Column), fallbacks));
                    continue;
                }
                ListItems(value, f.Column, items);
                int n = EncodingRules.ListLength(_preprocessor.Feature(f.Name), items.Count);
                var ids = b.Ids[i].Append(n);
                for (int k = 0; k < n; k++) ids[k] = Id(table, f, items[k], fallbacks);
                b.Offsets[i]!.Add(b.Ids[i].Count);
            }
            for (int i = 0; i < _layout.Dense.Length; i++)
            {
                var f = _layout.Dense[i];
                var value = readDense[i] ? Value(row, f.Column) : null;
                if (f.Kind == FeatureKind.Vector)
                {
                    Vector(value, f.Column, b.Dense[i].Append(f.Dim));
                    continue;
                }
                if (value is null)
                {
                    b.Dense[i].Add(EncodingRules.MissingNumeric);
                    continue;
                }
                double v = Number(value, f.Column);
                float x = EncodingRules.Numeric(_preprocessor.Feature(f.Name), v);
                if (float.IsNaN(x)) throw Bad(f.Column, EncodingRules.NumericProblem(v));
                b.Dense[i].Add(x);
            }
            for (int i = 0; i < _layout.Binned.Length; i++)
            {
                var f = _layout.Binned[i];
                var enc = _preprocessor.Feature(f.Name);
                b.Ids[_layout.Categorical.Length + i].Add(enc.BucketId(readBinned[i] ? Transformed(row, f, enc) : null));
            }
            for (int i = 0; i < _layout.Piecewise.Length; i++)
            {
                var f = _layout.Piecewise[i];
                var enc = _preprocessor.Feature(f.Name);
                enc.Piecewise(readPiecewise[i] ? Transformed(row, f, enc) : null, b.Piecewise[i].Append(enc.PiecewiseWidth));
            }
            for (int i = 0; i < _layout.Labels.Length; i++)
            {
                b.Labels[i].Add(float.NaN);
                b.Truth[i]?.Add(float.NaN);
            }
            for (int i = 0; i < _layout.AnalysisNumbers.Length; i++)
            {
                var column = _layout.AnalysisNumbers[i].Column;
                b.Analysis[i].Add(Value(row, column) is { } v ? Number(v, column) : double.NaN);
            }
            for (int i = 0; i < _layout.AnalysisTexts.Length; i++) b.AnalysisText[i].Add(Text(row, _layout.AnalysisTexts[i].Column));
            for (int i = 0; i < _layout.Keys.Length; i++) b.Keys[i].Add(Text(row, _layout.Keys[i]));
            b.Count++;
        }
        return b.Build(SplitName.Test);
    }

    private static bool[] Reads(FeatureSpec[] features, Func<FeatureSpec, bool>? reads) =>
        features.Select(f => reads?.Invoke(f) ?? true).ToArray();

    /// <summary>transform(x) of a numeric feature's value, as the file path computes it; null when missing.</summary>
    private static double? Transformed(IReadOnlyDictionary<string, object?> row, FeatureSpec f, FeatureEncoding enc)
    {
        if (Value(row, f.Column) is not { } value) return null;
        double v = Number(value, f.Column);
        double t = EncodingRules.Transformed(enc, v);
        return double.IsFinite(t) ? t : throw Bad(f.Column, EncodingRules.NumericProblem(v));
    }

    private static int Id(CategoricalTable table, FeatureSpec f, CategoryValue value, ISet<string>? fallbacks)
    {
        int id = table.IdOf(value);
        if (fallbacks is not null && table.IsOov(id))
            fallbacks.Add($"{f.Column}: '{Cell.Clip(value.ToString())}' is not in the training vocabulary; scored with the out-of-vocabulary row");
        return id;
    }

    /// <summary>The row's value of a column with JSON unwrapped to CLR values; null when absent or null.</summary>
    private static object? Value(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) ? Unwrap(v, column) : null;

    private static object? Unwrap(object? v, string column)
    {
        if (v is not JsonElement e) return v;
        return e.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => e.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
            JsonValueKind.Array => e.EnumerateArray().Select(x => Unwrap(x, column)).ToArray(),
            _ => throw Bad(column, "expected a number, text, true/false, a list or null, got a JSON object"),
        };
    }

    private static CategoryValue Category(object? v, string column) => v switch
    {
        null => CategoryValue.Null,
        string s => CategoryValue.Of(s),
        bool b => CategoryValue.Of(b),
        long or int or short or sbyte or uint or ushort or byte => CategoryValue.Of(Convert.ToInt64(v, CultureInfo.InvariantCulture)),
        double or float or decimal => CategoryValue.Of(Finite(Convert.ToDouble(v, CultureInfo.InvariantCulture), column)),
        IEnumerable => throw Bad(column, "expected one value, got a list"),
        _ => throw Bad(column, $"expected text or a number, got {v.GetType().Name}"),
    };

    /// <summary>The items of a list value, nulls skipped (as the file path does); null is an empty list.</summary>
    private static void ListItems(object? v, string column, List<CategoryValue> into)
    {
        into.Clear();
        if (v is null) return;
        if (v is string || v is not IEnumerable items) throw Bad(column, $"expected a list, got the single value '{Cell.Clip(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")}'");
        // Typed arrays (what in-process callers hand over) without boxing every item.
        if (v is int[] ints)
        {
            foreach (int x in ints) into.Add(CategoryValue.Of(x));
            return;
        }
        if (v is long[] longs)
        {
            foreach (long x in longs) into.Add(CategoryValue.Of(x));
            return;
        }
        foreach (var item in items)
        {
            var c = Category(Unwrap(item, column), column);
            if (!c.IsNull) into.Add(c);
        }
    }

    /// <summary>Exactly dst.Length finite numbers; null gives zeros.</summary>
    private static void Vector(object? v, string column, Span<float> dst)
    {
        if (v is null)
        {
            dst.Clear();
            return;
        }
        if (v is string || v is not IEnumerable items) throw Bad(column, $"expected a vector of {dst.Length} numbers, got a single value");
        int n = 0;
        if (v is float[] floats)
        {
            // A typed vector (what in-process callers hand over) without boxing every item.
            n = floats.Length;
            if (n == dst.Length) floats.CopyTo(dst);
        }
        else
        {
            foreach (var item in items)
            {
                var x = Unwrap(item, column) ?? throw Bad(column, "the vector has an empty (null) item");
                if (n < dst.Length) dst[n] = (float)Number(x, column);
                n++;
            }
        }
        if (n != dst.Length) throw Bad(column, $"expected a vector of {dst.Length} numbers, got {n}");
        for (int i = 0; i < dst.Length; i++)
            if (!float.IsFinite(dst[i])) throw Bad(column, $"vector item {i + 1} is {Cell.Spell(dst[i])}; only finite numbers are allowed");
    }

    /// <summary>A finite number; booleans are 1 and 0 (as in files); text is bad input.</summary>
    private static double Number(object v, string column) => v switch
    {
        bool b => b ? 1 : 0,
        long or int or short or sbyte or uint or ushort or byte or ulong => Convert.ToDouble(v, CultureInfo.InvariantCulture),
        double or float or decimal => Finite(Convert.ToDouble(v, CultureInfo.InvariantCulture), column),
        string s => throw Bad(column, $"expected a number, got the text '{Cell.Clip(s)}'"),
        IEnumerable => throw Bad(column, "expected a number, got a list"),
        _ => throw Bad(column, $"expected a number, got {v.GetType().Name}"),
    };

    private static double Finite(double v, string column) =>
        double.IsFinite(v) ? v : throw Bad(column, $"{Cell.Spell(v)} is not allowed; numbers must be finite");

    /// <summary>A value as an analysis or key column's text (as the file path reads it: numbers in canonical form); null stays null.</summary>
    public static string? Text(object? value, string column) => Unwrap(value, column) switch
    {
        null => null,
        string s => s,
        var v => Category(v, column).ToString(),
    };

    private static string? Text(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) ? Text(v, column) : null;

    private static BadInputException Bad(string column, string what) => BadInputException.At(null, column, null, what);
}
