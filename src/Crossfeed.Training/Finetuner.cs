using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training;

/// <summary>
/// Transfer to a new objective from a trained bundle: the new model copies every tensor of the bundle
/// whose name and shape match (the shared encoder, experts and the existing heads), new heads can start
/// as copies of existing ones, and with a frozen encoder only the new heads train.
/// </summary>
public static class Finetuner
{
    public static TrainedModel Fit(TrainedModel source, ModelConfig config, DatasetConfig dataset, EncodedSplit train, EncodedSplit val,
                                   TrainOptions options)
    {
        var spec = config.Finetune ?? throw new BadInputException($"{config.ConfigPath}: finetune: a finetune config needs a finetune block (freeze, init_from, zero_shot)");
        var baseTasks = source.Model.Tasks;
        for (int i = 0; i < baseTasks.Count; i++)
        {
            if (i >= config.Tasks.Count || config.Tasks[i].Name != baseTasks[i].Name)
                throw new BadInputException($"{config.ConfigPath}: tasks[{i}]: must be '{baseTasks[i].Name}': list the bundle's tasks first, in its order ({string.Join(", ", baseTasks.Select(t => t.Name))}), then the new ones");
        }
        if (config.Tasks.Count == baseTasks.Count) throw new BadInputException($"{config.ConfigPath}: tasks: add at least one new task after the bundle's tasks");
        foreach (var (task, origin) in spec.InitFrom)
        {
            if (baseTasks.All(t => t.Name != origin))
                throw new BadInputException($"{config.ConfigPath}: finetune.init_from.{task}: '{origin}' is not a task of {Origin(source)}");
            if (baseTasks.Any(t => t.Name == task))
                throw new BadInputException($"{config.ConfigPath}: finetune.init_from.{task}: only new tasks can start from another head");
        }

        void Initialize(MultiTaskModel net)
        {
            var kept = CopyMatching(source.Network, net, config, spec);
            if (kept.Count == 0)
                throw new BadInputException($"{config.ConfigPath}: no weight of {Origin(source)} fits this model; keep architecture, encoder, experts and features as in the bundle");
            if (!spec.FreezeEncoder) return;
            // What the bundle already had stays as it was; new heads (and per-task gates) train.
            foreach (var (name, p) in net.named_parameters())
                if (kept.Contains(name)) p.requires_grad = false;
            net.Encoder.Frozen = true;
        }

        if (!spec.ZeroShot)
            return Trainer.Fit(config, dataset, train, val, source.Preprocessor, options with { Initialize = Initialize });

        torch.manual_seed(config.Training.Seed);
        var layout = FeatureLayout.Build(dataset, config, source.Preprocessor.TableRows);
        var model = new MultiTaskModel(layout, config);
        try
        {
            Initialize(model);
            var ap = Trainer.ValidationAp(model, new HostBatchBuilder(layout), new TaskTargets(config, dataset), config, val, config.Training.BatchSize);
            return new TrainedModel(model, layout, source.Preprocessor, dataset, config, new TrainingHistory([new EpochRecord(0, null, ap, 0)], 0, completed: true));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Origin(TrainedModel source) => source.Directory ?? $"model '{source.Model.Name}'";

    /// <summary>Index of the task whose head (tower or per-task gate) a parameter belongs to, from names like "...towers.3.x".</summary>
    private static int? NewTaskIndex(string name)
    {
        var marker = "towers.";
        var at = name.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = name[(at + marker.Length)..];
        var end = rest.IndexOf('.', StringComparison.Ordinal);
        return int.TryParse(end < 0 ? rest : rest[..end], out var i) ? i : null;
    }

    /// <summary>Copies matching tensors; returns the names copied under their own name (the bundle's own weights).</summary>
    private static HashSet<string> CopyMatching(MultiTaskModel from, MultiTaskModel to, ModelConfig config, FinetuneSpec spec)
    {
        var source = from.state_dict();
        var kept = new HashSet<string>();
        using var _ = torch.no_grad();
        foreach (var (name, target) in to.state_dict())
        {
            var sourceName = name;
            if (NewTaskIndex(name) is { } t && config.Tasks.Count > t && spec.InitFrom.TryGetValue(config.Tasks[t].Name, out var origin))
                sourceName = name.Replace($"towers.{t}.", $"towers.{config.TaskIndex(origin)}.", StringComparison.Ordinal);
            if (source.TryGetValue(sourceName, out var s) && s.shape.SequenceEqual(target.shape))
            {
                target.copy_(s);
                if (sourceName == name) kept.Add(name);
            }
        }
        return kept;
    }
}
