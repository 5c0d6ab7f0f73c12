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
        Labels = cfg.Labels.ToArray();
        var a = cfg.Analysis;
        AnalysisNumbers = a.NumberRoles().ToArray();
        AnalysisTexts = a.TextRoles().ToArray();
        Keys = cfg.Keys.ToArray();
    }

    public DatasetConfig Config { get; }
    public Preprocessor Preprocessor { get; }
    public FeatureSpec[] Categorical { get; }
    public FeatureSpec[] Dense { get; }
    public LabelSpec[] Labels { get; }
    public (string Role, string Column)[] AnalysisNumbers { get; }
    public (string Role, string Column)[] AnalysisTexts { get; }
    public string[] Keys { get; }

    public int Width(FeatureSpec f) => f.Kind == FeatureKind.Vector ? f.Dim : 1;
}
