using System.Text.Json;
using System.Text.Json.Serialization;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// The fitted state that turns raw rows into model inputs: vocabularies and numeric statistics,
/// fitted on the training split only (estimator/predictor split: <see cref="Fit"/> is the estimator,
/// this immutable object the predictor). Serialises to JSON for bundles.
/// </summary>
public sealed class Preprocessor
{
    public const string FormatName = "crossfeed.preprocessor/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly Dictionary<string, FeatureEncoding> _features;
    private readonly Dictionary<string, CategoricalTable> _tables;

    public Preprocessor(string dataset, IReadOnlyList<string> sources, IReadOnlyList<FeatureEncoding> features, IReadOnlyList<CategoricalTable> tables)
    {
        Dataset = dataset;
        Sources = sources;
        Features = features;
        Tables = tables;
        _features = features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _tables = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var f in features)
        {
            string? problem = f.Kind switch
            {
                FeatureKind.Categorical or FeatureKind.CategoricalList when f.Table is null || !_tables.ContainsKey(f.Table)
                    => $"reads table '{f.Table}', which is not in the preprocessor",
                FeatureKind.CategoricalList when f.MaxLength < 1 => "needs max_length >= 1",
                FeatureKind.Numeric when !(double.IsFinite(f.Mean) && double.IsFinite(f.Std) && f.Std > 0) => "needs a finite mean and a positive std",
                FeatureKind.Numeric when f.Encoding != NumericEncoding.Standardize && !ValidEdges(f.Edges)
                    => "needs at least two finite, ascending bucket edges",
                FeatureKind.Vector when f.Dim < 1 => "needs dim >= 1",
                _ => null,
            };
            if (problem is not null) throw new ArgumentException($"feature '{f.Name}' {problem}", nameof(features));
        }
    }

    public string Dataset { get; }
    /// <summary>The source values in index order (EncodedSplit.Source indexes this list).</summary>
    public IReadOnlyList<string> Sources { get; }
    public IReadOnlyList<FeatureEncoding> Features { get; }
    public IReadOnlyList<CategoricalTable> Tables { get; }

    /// <summary>Fits on the training split of the dataset (one streaming pass over it).</summary>
    public static Preprocessor Fit(DatasetConfig cfg, IProgress<LoadProgress>? progress = null, CancellationToken ct = default)
    {
        using var scan = DatasetScan.Open(cfg, InputReader.Resolve(cfg), Roles.Of(cfg, forScoring: false), progress, ct);
        var plan = SplitPlan.Build(scan, progress);
        return Fitter.Fit(scan, plan, progress, ct).Preprocessor;
    }

    public FeatureEncoding Feature(string name) =>
        _features.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"no feature '{name}' in the preprocessor");

    /// <summary>The table a categorical feature reads (its own, or the owner's when it shares one).</summary>
    public CategoricalTable TableOf(string feature) =>
        Feature(feature).Table is { } t ? _tables[t] : throw new ArgumentException($"feature '{feature}' is not categorical", nameof(feature));

    /// <summary>
    /// Rows of the embedding table a categorical feature reads; for a quantile_bins feature its buckets + 1
    /// (row 0 is null), for a piecewise_linear feature the inputs of its projection (buckets, plus the null indicator).
    /// </summary>
    public int TableRows(string feature) => Feature(feature) switch
    {
        { Kind: FeatureKind.Numeric, Encoding: NumericEncoding.QuantileBins } f => f.Buckets + 1,
        { Kind: FeatureKind.Numeric, Encoding: NumericEncoding.PiecewiseLinear } f => f.PiecewiseWidth,
        _ => TableOf(feature).Rows,
    };

    public int CategoryId(string feature, string? value) => TableOf(feature).IdOf(value);

    public int CategoryId(string feature, long value) => TableOf(feature).IdOf(value);

    /// <summary>A numeric feature's model input; null gives 0 (the training mean).</summary>
    public float Standardize(string feature, double? value)
    {
        var f = Feature(feature);
        if (value is not { } v) return EncodingRules.MissingNumeric;
        var x = EncodingRules.Numeric(f, v);
        if (float.IsNaN(x)) throw new BadInputException($"feature '{feature}': {Cell.Spell(v)} is not a valid value{(f.Transform == NumericTransform.Log1p ? " (log1p needs values above -1)" : "")}");
        return x;
    }

    private static bool ValidEdges(IReadOnlyList<double>? edges)
    {
        if (edges is null || edges.Count < 2) return false;
        for (int i = 0; i < edges.Count; i++)
            if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] < edges[i - 1])) return false;
        return true;
    }

    internal static double Transform(NumericTransform t, double v) => t == NumericTransform.Log1p ? Math.Log(1 + v) : v;

    /// <summary>Checks that a dataset config describes the features this preprocessor was fitted for.</summary>
    public void CheckCompatible(DatasetConfig cfg)
    {
        string Where() => $"{cfg.ConfigPath}: does not match the fitted preprocessor of dataset '{Dataset}'";
        if (!cfg.Source.Values.SequenceEqual(Sources))
            throw new BadInputException($"{Where()}: source.values are [{string.Join(", ", cfg.Source.Values)}], fitted with [{string.Join(", ", Sources)}]");
        foreach (var f in cfg.Features)
        {
            if (!_features.TryGetValue(f.Name, out var e))
                throw new BadInputException($"{Where()}: feature '{f.Name}' was not fitted");
            if (e.Kind != f.Kind)
                throw new BadInputException($"{Where()}: feature '{f.Name}' is {f.Kind}, fitted as {e.Kind}");
            if (f.Kind == FeatureKind.Numeric && e.Encoding != f.Encoding)
                throw new BadInputException($"{Where()}: feature '{f.Name}' has encoding {f.Encoding}, fitted with {e.Encoding}");
            if (f.Kind == FeatureKind.Vector && e.Dim != f.Dim)
                throw new BadInputException($"{Where()}: feature '{f.Name}' has dim {f.Dim}, fitted with {e.Dim}");
        }
        foreach (var e in Features)
            if (cfg.Feature(e.Name) is null) throw new BadInputException($"{Where()}: fitted feature '{e.Name}' is not in the config");
    }

    public string ToJson()
    {
        var dto = new PreprocessorDto(
            FormatName, Dataset, Sources.ToList(),
            Tables.Select(t => new TableDto(t.Name, t.Features.ToList(), t.MinCount, t.OovBuckets, t.HashBuckets, t.Vocabulary.ToList())).ToList(),
            Features.ToList());
        return JsonSerializer.Serialize(dto, Json);
    }

    /// <summary>Reads <see cref="ToJson"/> output; anything malformed is a <see cref="BadInputException"/> naming <paramref name="origin"/>.</summary>
    public static Preprocessor FromJson(string json, string origin = "preprocessor.json")
    {
        PreprocessorDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<PreprocessorDto>(json, Json);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{origin}: invalid preprocessor JSON: {e.Message}");
        }
        if (dto is null || dto.Format != FormatName)
            throw new BadInputException($"{origin}: not a Crossfeed preprocessor (expected format '{FormatName}', got '{dto?.Format}')");
        if (dto.Tables is null || dto.Features is null || dto.Sources is null)
            throw new BadInputException($"{origin}: tables, features and sources are required");
        try
        {
            var tables = dto.Tables.Select(t => new CategoricalTable(t.Name, t.Features ?? [], t.MinCount, t.OovBuckets, t.HashBuckets, t.Vocabulary ?? [])).ToList();
            return new Preprocessor(dto.Dataset ?? "", dto.Sources, dto.Features, tables);
        }
        catch (ArgumentException e)
        {
            throw new BadInputException($"{origin}: {e.Message}");
        }
    }

    /// <summary>Writes the JSON to a temp name, then renames, so a crash never leaves half a file.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    public static Preprocessor Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        return FromJson(File.ReadAllText(path), path);
    }

    private sealed record PreprocessorDto(string Format, string? Dataset, List<string>? Sources, List<TableDto>? Tables, List<FeatureEncoding>? Features);

    private sealed record TableDto(string Name, List<string>? Features, int MinCount, int OovBuckets, int HashBuckets, List<string>? Vocabulary);
}
