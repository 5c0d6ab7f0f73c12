namespace Crossfeed.Core;

/// <summary>Reads and validates a dataset YAML (schema in docs/data.md).</summary>
public static class DatasetConfigLoader
{
    private static readonly SplitName[] AllSplits = [SplitName.Train, SplitName.Val, SplitName.Test];

    public static DatasetConfig Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return Parse(YamlMap.Load(full), System.IO.Path.GetDirectoryName(full)!);
    }

    public static DatasetConfig Parse(string yaml, string file, string baseDir) => Parse(YamlMap.Parse(yaml, file), baseDir);

    private static DatasetConfig Parse(YamlMap root, string baseDir)
    {
        var name = root.String("name", System.IO.Path.GetFileNameWithoutExtension(root.File));
        var input = ParseInput(root.Map("input"), baseDir);

        var src = root.Map("source");
        var sourceColumn = src.String("column");
        var sourceValues = src.Strings("values");
        if (sourceValues.Count == 0) throw src.Error("values", "list at least one source value");
        if (sourceValues.Distinct().Count() != sourceValues.Count) throw src.Error("values", "values must be distinct");
        src.RejectUnknownKeys();
        var source = new SourceSpec(sourceColumn, sourceValues);

        var timeColumn = root.OptString("time_column");
        var split = ParseSplit(root.OptMap("split"), input, root);
        var keys = root.Strings("keys");

        var features = root.Maps("features").Select(ParseFeature).ToList();
        if (features.Count == 0) throw root.Error("features", "list at least one feature");
        var labels = root.Maps("labels").Select(l => ParseLabel(l, source)).ToList();
        if (labels.Count == 0) throw root.Error("labels", "list at least one label");

        var a = root.OptMap("analysis");
        var analysis = a is null
            ? new AnalysisSpec(null, null, null, null, null)
            : new AnalysisSpec(a.OptString("tier"), a.OptString("streams_30d"), a.OptString("cost"), a.OptString("modality"), a.OptString("slot"), a.OptString("content_type"),
                               LessStreamedBelow(a));
        a?.RejectUnknownKeys();
        root.RejectUnknownKeys();

        CheckNames(root, features, labels);
        return new DatasetConfig(name, root.File, input, source, timeColumn, split, keys, features, labels, analysis);
    }

    private static double LessStreamedBelow(YamlMap analysis)
    {
        var below = analysis.Double("less_streamed_below", AnalysisSpec.DefaultLessStreamedBelow);
        if (below <= 0) throw analysis.Error("less_streamed_below", $"must be above 0 (30-day streams), got {below}");
        return below;
    }

    private static InputSpec ParseInput(YamlMap m, string baseDir)
    {
        var path = m.OptString("path");
        var query = m.OptString("query");
        var filesMap = m.OptMap("files");
        int given = (path is null ? 0 : 1) + (query is null ? 0 : 1) + (filesMap is null ? 0 : 1);
        if (given != 1) throw m.Error("give exactly one of path, files or query");
        Dictionary<SplitName, string>? files = null;
        if (filesMap is not null)
        {
            files = new Dictionary<SplitName, string>();
            foreach (var s in AllSplits)
                files[s] = Resolve(baseDir, filesMap.String(s.ToString().ToLowerInvariant()));
            filesMap.RejectUnknownKeys();
        }
        var format = m.Enum("format", InputFormat.Auto);
        var header = m.Bool("header", true);
        var names = m.Strings("column_names");
        if (!header && names.Count == 0 && query is null)
            throw m.Error("column_names", "a file without header needs column_names");
        if (names.Distinct().Count() != names.Count)
            throw m.Error("column_names", $"duplicated column '{names.GroupBy(n => n).First(g => g.Count() > 1).Key}'");
        m.RejectUnknownKeys();
        return new InputSpec(
            path is null ? null : Resolve(baseDir, path),
            files,
            query?.Replace("{dir}", baseDir, StringComparison.Ordinal),
            format, header, names);
    }

    private static string Resolve(string baseDir, string p) => System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, p));

    private static SplitSpec ParseSplit(YamlMap? m, InputSpec input, YamlMap root)
    {
        if (m is null)
        {
            if (input.Files is not null) return new SplitSpec(null, null, null, ByFiles: true);
            throw root.Error("split", "is required unless input.files gives pre-split files");
        }
        if (input.Files is not null) throw root.Error("split", "input.files already splits the data; remove split");
        var column = m.String("column");
        var fr = m.OptMap("fractions");
        SplitSpec spec;
        if (fr is not null)
        {
            var fractions = new Dictionary<SplitName, double>();
            foreach (var s in AllSplits)
            {
                var key = s.ToString().ToLowerInvariant();
                var v = fr.Double(key, -1);
                if (v <= 0 || v >= 1) throw fr.Error(key, "must be a fraction in (0, 1)");
                fractions[s] = v;
            }
            if (Math.Abs(fractions.Values.Sum() - 1) > 1e-6) throw m.Error("fractions", "train + val + test must add up to 1");
            fr.RejectUnknownKeys();
            spec = new SplitSpec(column, null, fractions, false);
        }
        else
        {
            var ranges = new Dictionary<SplitName, SplitRange>();
            foreach (var s in AllSplits)
            {
                var key = s.ToString().ToLowerInvariant();
                var r = m.OptMap(key) ?? throw m.Error(key, "is required (or give fractions)");
                var from = r.OptDouble("from") ?? throw r.Error("from", "is required");
                var to = r.OptDouble("to") ?? throw r.Error("to", "is required");
                if (to <= from) throw r.Error("to", $"must be greater than from ({from})");
                r.RejectUnknownKeys();
                ranges[s] = new SplitRange(from, to);
            }
            if (ranges[SplitName.Val].From < ranges[SplitName.Train].To || ranges[SplitName.Test].From < ranges[SplitName.Val].To)
                throw m.Error("ranges must not overlap and must be in time order: train, then val, then test");
            spec = new SplitSpec(column, ranges, null, false);
        }
        m.RejectUnknownKeys();
        return spec;
    }

    private static FeatureSpec ParseFeature(YamlMap m)
    {
        var name = m.String("name");
        var kind = m.Enum("kind", FeatureKind.Categorical);
        var spec = new FeatureSpec(
            Name: name,
            Column: m.String("column", name),
            Group: m.OptString("group") is null ? throw m.Error("group", "is required (user, content, context or creative)") : m.Enum("group", FeatureGroup.User),
            Kind: kind,
            EmbeddingDim: m.Int("embedding_dim", 16, 1, 4096),
            MinCount: m.Int("min_count", 1, 1),
            OovBuckets: m.Int("oov_buckets", 1, 1, 1_000_000),
            HashBuckets: m.Int("hash_buckets", 0, 0),
            ShareTable: m.OptString("share_table"),
            Pooling: m.Enum("pooling", Pooling.Mean),
            MaxLength: m.Int("max_length", 50, 1),
            Transform: m.Enum("transform", NumericTransform.None),
            Dim: m.Int("dim", 0, 0),
            Encoding: m.Enum("encoding", NumericEncoding.Standardize),
            Bins: m.Int("bins", FeatureSpec.DefaultBins, 2, 1024));
        if (kind != FeatureKind.Numeric && m.Has("encoding")) throw m.Error("encoding", "only numeric features have an encoding");
        if (!spec.IsBinned && m.Has("bins")) throw m.Error("bins", "applies to encoding quantile_bins or piecewise_linear only");
        if (kind == FeatureKind.Vector && spec.Dim < 1) throw m.Error("dim", "a vector feature needs dim >= 1");
        if (spec.ShareTable is not null && !spec.IsCategorical) throw m.Error("share_table", "only categorical features share tables");
        m.RejectUnknownKeys();
        return spec;
    }

    private static LabelSpec ParseLabel(YamlMap m, SourceSpec source)
    {
        var name = m.String("name");
        var sources = m.Strings("sources");
        if (sources.Count == 0) sources = source.Values;
        foreach (var s in sources)
            if (source.IndexOf(s) < 0)
                throw m.Error("sources", $"unknown source '{s}' (source.values are: {string.Join(", ", source.Values)})");
        var spec = new LabelSpec(name, m.String("column", name), sources, m.OptString("truth"));
        m.RejectUnknownKeys();
        return spec;
    }

    private static void CheckNames(YamlMap root, List<FeatureSpec> features, List<LabelSpec> labels)
    {
        var dupFeature = features.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (dupFeature is not null) throw root.Error("features", $"feature '{dupFeature.Key}' is listed twice");
        var dupLabel = labels.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (dupLabel is not null) throw root.Error("labels", $"label '{dupLabel.Key}' is listed twice");
        for (int i = 0; i < features.Count; i++)
        {
            var f = features[i];
            if (f.ShareTable is null) continue;
            var owner = features.FirstOrDefault(o => o.Name == f.ShareTable);
            if (owner is null) throw root.Error($"features[{i}].share_table", $"no feature named '{f.ShareTable}'");
            if (!owner.IsCategorical) throw root.Error($"features[{i}].share_table", $"'{owner.Name}' is not categorical");
            if (owner.ShareTable is not null) throw root.Error($"features[{i}].share_table", $"'{owner.Name}' itself shares a table; point at the owner");
            if (owner.EmbeddingDim != f.EmbeddingDim)
                throw root.Error($"features[{i}].embedding_dim", $"must equal the shared table's embedding_dim ({owner.EmbeddingDim})");
        }
    }
}
