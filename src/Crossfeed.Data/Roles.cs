using Crossfeed.Core;

namespace Crossfeed.Data;

internal static class Roles
{
    /// <summary>Every column a dataset config names. Scoring (forScoring) needs no split/time column and treats labels, truth and analysis as optional.</summary>
    public static List<ColumnRole> Of(DatasetConfig cfg, bool forScoring)
    {
        var roles = new List<ColumnRole> { new(cfg.Source.Column, RoleKind.Source, "source.column") };
        if (!forScoring)
        {
            if (cfg.Split.Column is { } sc) roles.Add(new(sc, RoleKind.Split, "split.column"));
            if (cfg.TimeColumn is { } tc) roles.Add(new(tc, RoleKind.Time, "time_column"));
        }
        foreach (var k in cfg.Keys) roles.Add(new(k, RoleKind.Key, "keys"));
        foreach (var f in cfg.Features)
        {
            var kind = f.Kind switch
            {
                FeatureKind.Categorical => RoleKind.Categorical,
                FeatureKind.CategoricalList => RoleKind.CategoricalList,
                FeatureKind.Numeric => RoleKind.Numeric,
                _ => RoleKind.Vector,
            };
            roles.Add(new(f.Column, kind, $"feature '{f.Name}'"));
        }
        foreach (var l in cfg.Labels)
        {
            roles.Add(new(l.Column, RoleKind.Label, $"label '{l.Name}'", forScoring));
            if (l.Truth is { } t) roles.Add(new(t, RoleKind.Truth, $"truth of label '{l.Name}'", forScoring));
        }
        var a = cfg.Analysis;
        foreach (var (what, col) in a.NumberRoles())
            roles.Add(new(col, RoleKind.AnalysisNumber, $"analysis.{what}", forScoring));
        foreach (var (what, col) in a.TextRoles())
            roles.Add(new(col, RoleKind.AnalysisText, $"analysis.{what}", forScoring));
        return roles;
    }

    /// <summary>Null when the column's type suits the role, else what is wrong.</summary>
    public static string? TypeProblem(Cell c, RoleKind kind)
    {
        bool number = c.IsNumber && c.Kind != CellKind.Boolean;
        return kind switch
        {
            RoleKind.Source when c.Kind is not (CellKind.Integer or CellKind.UInt64 or CellKind.HugeInteger or CellKind.Text or CellKind.Boolean)
                => $"a source column needs text or integers, the column holds {c.Describe()}",
            RoleKind.Split or RoleKind.Time when !(number || c.IsTemporal)
                => $"a {(kind == RoleKind.Split ? "split" : "time")} column needs numbers or timestamps, the column holds {c.Describe()}",
            RoleKind.Key or RoleKind.AnalysisText when c.Kind is CellKind.List or CellKind.Other
                => $"expected single values, the column holds {c.Describe()}",
            RoleKind.Categorical when c.Kind == CellKind.List
                => $"a categorical feature needs one value per row, the column holds {c.Describe()} (use kind: categorical_list)",
            RoleKind.Categorical when c.Kind == CellKind.Other
                => $"a categorical feature needs integers or text, the column holds {c.Describe()}",
            RoleKind.CategoricalList when !(c.Kind == CellKind.Text || (c.Kind == CellKind.List && c.Element is CellKind.Integer or CellKind.Text or CellKind.Floating))
                => $"a categorical_list feature needs a list of integers or text (or text like [a, b]), the column holds {c.Describe()}",
            RoleKind.Numeric or RoleKind.Label or RoleKind.Truth or RoleKind.AnalysisNumber when !(c.IsNumber || c.Kind == CellKind.Text)
                => $"expected numbers, the column holds {c.Describe()}",
            RoleKind.Vector when !(c.Kind == CellKind.Text || (c.Kind == CellKind.List && c.Element is CellKind.Floating or CellKind.Integer or CellKind.Decimal))
                => $"a vector feature needs a list of numbers, the column holds {c.Describe()}",
            _ => null,
        };
    }
}
