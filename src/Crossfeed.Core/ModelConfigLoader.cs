namespace Crossfeed.Core;

/// <summary>Reads a model YAML (schema in docs/models.md) and validates it against a dataset.</summary>
public static class ModelConfigLoader
{
    public static ModelConfig Load(string path, DatasetConfig dataset)
    {
        var full = System.IO.Path.GetFullPath(path);
        return Parse(YamlMap.Load(full), dataset);
    }

    public static ModelConfig Parse(string yaml, string file, DatasetConfig dataset) => Parse(YamlMap.Parse(yaml, file), dataset);

    private static ModelConfig Parse(YamlMap root, DatasetConfig dataset)
    {
        var name = root.String("name", System.IO.Path.GetFileNameWithoutExtension(root.File));
        var architecture = root.Enum("architecture", Architecture.SharedBottom);

        var groupNames = root.Strings("feature_groups");
        var groups = new List<FeatureGroup>();
        for (int i = 0; i < groupNames.Count; i++)
        {
            var norm = groupNames[i];
            if (!Enum.TryParse<FeatureGroup>(norm, true, out var g) || int.TryParse(norm, out _))
                throw root.Error($"feature_groups[{i}]", $"unknown group '{norm}' (expected user, content, context or creative)");
            groups.Add(g);
        }
        if (groups.Count == 0) groups.AddRange(Enum.GetValues<FeatureGroup>());
        var exclude = root.Strings("exclude_features");
        for (int i = 0; i < exclude.Count; i++)
            if (dataset.Feature(exclude[i]) is null)
                throw root.Error($"exclude_features[{i}]", $"unknown feature '{exclude[i]}' (not in {dataset.ConfigPath})");
        if (!dataset.Features.Any(f => groups.Contains(f.Group) && !exclude.Contains(f.Name)))
            throw root.Error("feature_groups", "no feature of the dataset is left to use");
        var idDropout = ParseIdDropout(root.OptMap("id_dropout"), dataset);

        // YAML "encoder" is the shared-bottom MLP (BottomSpec); its dropout applies to every architecture.
        var enc = root.OptMap("encoder");
        var bottom = new BottomSpec(enc is null ? new[] { 256, 128 } : Widths(enc, "hidden", [256, 128]));
        var dropout = enc?.Double("dropout", 0) ?? 0;
        if (dropout < 0 || dropout >= 1) throw enc!.Error("dropout", "must be in [0, 1)");
        enc?.RejectUnknownKeys();

        // One experts block for every architecture (keys another architecture uses are accepted and
        // ignored); the options are built for the architecture that reads them.
        var ex = root.OptMap("experts");
        var defaultKind = architecture == Architecture.Camoe ? ExpertKind.Dcn : ExpertKind.Mlp;
        var count = ex?.Int("count", 4) ?? 4;
        var hidden = ex is null ? new[] { 128 } : Widths(ex, "hidden", [128]);
        var kind = ex?.Enum("kind", defaultKind) ?? defaultKind;
        var crossLayers = ex?.Int("cross_layers", 2, 1, 16) ?? 2;
        var lowRank = ex?.Int("low_rank", 0, 0) ?? 0;
        var levels = ex?.Int("levels", 1, 1, 8) ?? 1;
        var taskExperts = ex?.Int("task_experts", 1, 1, 64) ?? 1;
        var gatePerGroup = ex?.Bool("gate_per_group", architecture == Architecture.Camoe) ?? architecture == Architecture.Camoe;
        if (count < 1) throw (ex ?? root).Error("count", $"experts must be at least 1, got {count}");
        ex?.RejectUnknownKeys();
        var expert = new ExpertSpec(hidden, kind == ExpertKind.Dcn ? new DcnSpec(crossLayers, lowRank) : null);
        var moe = architecture is Architecture.Mmoe or Architecture.Camoe ? new MoeSpec(count, expert, gatePerGroup) : null;
        var ple = architecture == Architecture.Ple ? new PleSpec(count, taskExperts, levels, expert) : null;

        var tasks = root.Maps("tasks").Select(t => ParseTask(t, dataset)).ToList();
        if (tasks.Count == 0) throw root.Error("tasks", "list at least one task");
        var dup = tasks.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw root.Error("tasks", $"task '{dup.Key}' is listed twice");

        var masks = root.Maps("masks").Select(m => ParseMask(m, dataset, tasks)).ToList();
        var sampling = ParseSampling(root.OptMap("sampling"), dataset);
        var training = ParseTraining(root.OptMap("training"), tasks, dropout);
        var adaptiveMasking = root.Bool("adaptive_masking", tasks.Any(t => !t.Scope.IsAll));
        var finetune = ParseFinetune(root.OptMap("finetune"), tasks);
        root.RejectUnknownKeys();

        return new ModelConfig(name, root.File, architecture, groups, exclude, bottom, moe, ple, tasks, masks, sampling, training, adaptiveMasking, finetune, idDropout);
    }

    private static Dictionary<string, double> ParseIdDropout(YamlMap? m, DatasetConfig dataset)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        if (m is null) return rates;
        foreach (var name in m.Keys().ToList())
        {
            var f = dataset.Feature(name) ?? throw m.Error(name, $"unknown feature '{name}' (not in {dataset.ConfigPath})");
            if (f.Kind != FeatureKind.Categorical)
                throw m.Error(name, $"id dropout needs a single categorical feature; '{name}' is {f.Kind.ToString().ToLowerInvariant()}");
            if (f.HashBuckets > 0) throw m.Error(name, $"'{name}' is hashed: it has no out-of-vocabulary row to drop to");
            var rate = m.Double(name, -1);
            if (rate < 0 || rate >= 1) throw m.Error(name, "rate must be in [0, 1)");
            if (rate > 0) rates[name] = rate;
        }
        return rates;
    }

    private static int[] Widths(YamlMap m, string key, int[] fallback)
    {
        var raw = m.Strings(key);
        if (raw.Count == 0) return fallback;
        var widths = new int[raw.Count];
        for (int i = 0; i < raw.Count; i++)
        {
            if (!int.TryParse(raw[i], out widths[i]) || widths[i] < 1)
                throw m.Error($"{key}[{i}]", $"layer width must be a positive integer, got '{raw[i]}'");
        }
        return widths;
    }

    private static TaskSpec ParseTask(YamlMap m, DatasetConfig dataset)
    {
        var name = m.String("name");
        var label = m.OptString("label") ?? throw m.Error("label", $"task '{name}' needs a label (one of: {string.Join(", ", dataset.Labels.Select(l => l.Name))})");
        if (dataset.Label(label) is null)
            throw m.Error("label", $"unknown label '{label}' (dataset labels: {string.Join(", ", dataset.Labels.Select(l => l.Name))})");
        var weight = m.Double("weight", 1);
        if (weight < 0) throw m.Error("weight", "must be >= 0");
        var sources = m.Strings("sources");
        for (int i = 0; i < sources.Count; i++)
            if (dataset.Source.IndexOf(sources[i]) < 0)
                throw m.Error($"sources[{i}]", $"unknown source '{sources[i]}' (dataset sources: {string.Join(", ", dataset.Source.Values)})");
        if (sources.Count == 0) sources = dataset.Label(label)!.Sources;
        var scope = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (role, key) in TaskScope.Roles)
        {
            var values = m.Strings(key);
            if (values.Count > 0 && dataset.Analysis.TextColumn(role) is null)
                throw m.Error(key, $"the dataset has no analysis.{role} column to restrict tasks by");
            scope[role] = values;
        }
        var keepNegatives = m.Double("keep_negatives", 1);
        if (!(keepNegatives > 0 && keepNegatives <= 1))
            throw m.Error("keep_negatives", $"the share of the task's negative rows kept in training must be above 0 and at most 1, got {keepNegatives}");
        var spec = new TaskSpec(name, label, sources, new TaskScope(scope), Widths(m, "tower", [64]), (float)weight, m.OptString("group"), keepNegatives);
        m.RejectUnknownKeys();
        return spec;
    }

    private static MaskRule ParseMask(YamlMap m, DatasetConfig dataset, List<TaskSpec> tasks)
    {
        var source = m.String("source");
        if (dataset.Source.IndexOf(source) < 0)
            throw m.Error("source", $"unknown source '{source}' (dataset sources: {string.Join(", ", dataset.Source.Values)})");
        var names = m.Strings("tasks");
        if (names.Count == 0) throw m.Error("tasks", "list at least one task");
        for (int i = 0; i < names.Count; i++)
            if (tasks.All(t => t.Name != names[i]))
                throw m.Error($"tasks[{i}]", $"unknown task '{names[i]}'");
        var weight = m.Double("weight", 0);
        if (weight < 0) throw m.Error("weight", "must be >= 0");
        m.RejectUnknownKeys();
        return new MaskRule(source, names, (float)weight);
    }

    private static SamplingSpec ParseSampling(YamlMap? m, DatasetConfig dataset)
    {
        if (m is null)
            return new SamplingSpec(SamplingMode.Balanced, dataset.Source.Values.ToDictionary(v => v, _ => 1.0 / dataset.Source.Values.Count), []);
        var mode = m.Enum("mode", SamplingMode.Balanced);
        var shares = new Dictionary<string, double>();
        var sm = m.OptMap("shares");
        if (sm is not null)
        {
            foreach (var key in sm.Keys().ToList())
            {
                if (dataset.Source.IndexOf(key) < 0) throw sm.Error(key, $"unknown source '{key}'");
                var v = sm.Double(key, -1);
                if (v < 0 || v > 1) throw sm.Error(key, "share must be in [0, 1]");
                shares[key] = v;
            }
            if (Math.Abs(shares.Values.Sum() - 1) > 1e-6) throw m.Error("shares", "shares must add up to 1");
        }
        else
        {
            foreach (var v in dataset.Source.Values) shares[v] = 1.0 / dataset.Source.Values.Count;
        }
        var downs = new List<DownsampleRule>();
        foreach (var d in m.Maps("downsample"))
        {
            var source = d.String("source");
            if (dataset.Source.IndexOf(source) < 0) throw d.Error("source", $"unknown source '{source}'");
            var rate = d.Double("rate", -1);
            if (rate <= 0 || rate > 1) throw d.Error("rate", "must be in (0, 1]");
            downs.Add(new DownsampleRule(source, d.OptString("modality"), rate));
            d.RejectUnknownKeys();
        }
        m.RejectUnknownKeys();
        return new SamplingSpec(mode, shares, downs);
    }

    private static FinetuneSpec? ParseFinetune(YamlMap? m, List<TaskSpec> tasks)
    {
        if (m is null) return null;
        var freeze = m.String("freeze", "encoder");
        if (freeze is not ("encoder" or "none")) throw m.Error("freeze", $"expected encoder or none, got '{freeze}'");
        var init = new Dictionary<string, string>();
        var im = m.OptMap("init_from");
        if (im is not null)
        {
            foreach (var key in im.Keys().ToList())
            {
                var from = im.String(key);
                if (tasks.All(t => t.Name != key)) throw im.Error(key, $"unknown task '{key}'");
                if (tasks.All(t => t.Name != from)) throw im.Error(key, $"unknown task '{from}' to copy from");
                init[key] = from;
            }
        }
        var zeroShot = m.Bool("zero_shot", false);
        if (zeroShot && init.Count == 0) throw m.Error("zero_shot", "needs init_from: a zero-shot head is a copy of an existing one");
        m.RejectUnknownKeys();
        return new FinetuneSpec(freeze == "encoder", init, zeroShot);
    }

    private static TrainingSpec ParseTraining(YamlMap? m, List<TaskSpec> tasks, double dropout)
    {
        var stop = m?.Strings("early_stopping_tasks") ?? [];
        for (int i = 0; i < stop.Count; i++)
            if (tasks.All(t => t.Name != stop[i]))
                throw m!.Error($"early_stopping_tasks[{i}]", $"unknown task '{stop[i]}'");
        var device = m?.String("device", TrainingSpec.Cpu) ?? TrainingSpec.Cpu;
        if (!TrainingSpec.IsDevice(device)) throw m!.Error("device", $"expected cpu, cuda or cuda:N (a device index), got '{device}'");
        var lr = m?.Double("learning_rate", 1e-3) ?? 1e-3;
        if (lr <= 0) throw m!.Error("learning_rate", "must be > 0");
        var spec = new TrainingSpec(
            Epochs: m?.Int("epochs", 3, 1, 10_000) ?? 3,
            BatchSize: m?.Int("batch_size", 1024, 1, 1 << 20) ?? 1024,
            LearningRate: lr,
            EmbeddingLearningRate: m?.Double("embedding_learning_rate", lr * 10) ?? lr * 10,
            WeightDecay: m?.Double("weight_decay", 0) ?? 0,
            ClipNorm: m?.Double("clip_norm", 10) ?? 10,
            Schedule: m?.Enum("schedule", LrSchedule.Cosine) ?? LrSchedule.Cosine,
            WarmupSteps: m?.Int("warmup_steps", 100, 0) ?? 100,
            EarlyStoppingTasks: stop.Count > 0 ? stop : tasks.Select(t => t.Name).ToList(),
            Patience: m?.Int("patience", 2, 1) ?? 2,
            Seed: m?.Int("seed", 1) ?? 1,
            CheckpointEvery: m?.Int("checkpoint_every", 500, 1) ?? 500,
            Balancing: m?.Enum("loss_balancing", LossBalancing.Fixed) ?? LossBalancing.Fixed,
            EmbeddingOptimizer: m?.Enum("embedding_optimizer", EmbeddingOptimizer.LazyAdam) ?? EmbeddingOptimizer.LazyAdam,
            Dropout: dropout,
            MaxStepsPerEpoch: m?.Int("max_steps_per_epoch", 0, 0) ?? 0,
            Device: device);
        m?.RejectUnknownKeys();
        return spec;
    }
}
