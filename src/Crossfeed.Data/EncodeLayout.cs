using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>Which arrays an encoded split has, in a fixed order, derived from the config and the preprocessor.</summary>
internal sealed class EncodeLayout
{
    public EncodeLayout(DatasetConfig cfg, Preprocessor pre)
    {
        Config = cfg;
        Preprocessor = pre;
        Categorical = cfg.Features.Where(f => f.IsCategorical).ToArray();
        Dense = cfg.Features.Where(f => !f.IsCategorical).ToArray();
        Binned = cfg.Features.Where(f => f.IsBinned && f.Encoding == NumericEncoding.QuantileBins).ToArray();
        Piecewise = cfg.Features.Where(f => f.IsBinned && f.Encoding == NumericEncoding.PiecewiseLinear).ToArray();
        Labels = cfg.Labels.ToArray();
        var a = cfg.Analysis;
        AnalysisNumbers = a.NumberRoles().ToArray();
        AnalysisTexts = a.TextRoles().ToArray();
        Keys = cfg.Keys.ToArray();
    }

    public DatasetConfig Config { get; }
    public Preprocessor Preprocessor { get; }
    public FeatureSpec[] Categorical { get; }
    /// <summary>Every numeric and vector feature: numerics as standardised scalars whatever their encoding (tree peers read these).</summary>
    public FeatureSpec[] Dense { get; }
    /// <summary>quantile_bins features: their bucket ids go to EncodedSplit.Ids after the categorical features'.</summary>
    public FeatureSpec[] Binned { get; }
    /// <summary>piecewise_linear features: their encodings go to EncodedSplit.Piecewise.</summary>
    public FeatureSpec[] Piecewise { get; }
    public LabelSpec[] Labels { get; }
    public (string Role, string Column)[] AnalysisNumbers { get; }
    public (string Role, string Column)[] AnalysisTexts { get; }
    public string[] Keys { get; }

    public int Width(FeatureSpec f) => f.Kind == FeatureKind.Vector ? f.Dim : 1;

    public int PiecewiseWidth(FeatureSpec f) => Preprocessor.Feature(f.Name).PiecewiseWidth;
}
