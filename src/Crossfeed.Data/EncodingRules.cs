namespace Crossfeed.Data;

/// <summary>
/// The per-value encoding rules that are not a table lookup, shared by the file path (<see cref="RowEncoder"/>)
/// and the in-memory path (<see cref="ValueEncoder"/>) so both give the model the same inputs.
/// </summary>
internal static class EncodingRules
{
    /// <summary>A null numeric's input: 0, the standardised training mean.</summary>
    public const float MissingNumeric = 0f;

    /// <summary>Items a list keeps: its first MaxLength (nulls inside the list are skipped before this).</summary>
    public static int ListLength(FeatureEncoding encoding, int items) => Math.Min(encoding.MaxLength, items);

    /// <summary>A finite numeric's input, (transform(v) - mean) / std; NaN when the transform is undefined for v (log1p at or below -1).</summary>
    public static float Numeric(FeatureEncoding encoding, double v) =>
        Transformed(encoding, v) is var t && double.IsFinite(t) ? Standardized(encoding, t) : float.NaN;

    /// <summary>(t - mean) / std of a value already transformed.</summary>
    public static float Standardized(FeatureEncoding encoding, double transformed) => (float)((transformed - encoding.Mean) / encoding.Std);

    /// <summary>transform(v), what quantile buckets and piecewise-linear encodings are fitted on; NaN when undefined for v.</summary>
    public static double Transformed(FeatureEncoding encoding, double v) => Preprocessor.Transform(encoding.Transform, v);

    /// <summary>Why a numeric's value cannot be encoded (see <see cref="Numeric"/> returning NaN).</summary>
    public static string NumericProblem(double v) => $"transform log1p needs values above -1, got {Cell.Spell(v)}";
}
