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
            var kept = CopyMatching(source.Network, net);
            if (kept.Count == 0)
                throw new BadInputException($"{config.ConfigPath}: no weight of {Origin(source)} fits this model; keep architecture, encoder, experts and features as in the bundle");
            foreach (var (task, origin) in spec.InitFrom)
                CopyMatching(source.Network.Heads[source.Model.TaskIndex(origin)], net.Heads[config.TaskIndex(task)]);
            if (!spec.FreezeEncoder) return;
            // What the bundle supplied stays as it was; the rest trains: the new tasks' heads, gates and experts
            // (MultiTaskModel.TaskModules), and tensors whose shape grew with the task count (PLE's shared gates
            // below the last level). init_from copies are not frozen: they are where the new heads start.
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
            var ap = Trainer.ValidationAp(model, new HostBatchBuilder(layout), new TaskTargets(config, dataset), config, [val], config.Training.BatchSize);
            return new TrainedModel(model, layout, source.Preprocessor, dataset, config, new TrainingHistory([new EpochRecord(0, null, ap, 0)], 0, completed: true));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Origin(TrainedModel source) => source.Directory ?? $"model '{source.Model.Name}'";

    /// <summary>Copies every tensor of <paramref name="from"/> whose name and shape match one of <paramref name="to"/>; returns the names copied.</summary>
    private static HashSet<string> CopyMatching(torch.nn.Module from, torch.nn.Module to)
    {
        var source = from.state_dict();
        var copied = new HashSet<string>();
        using var _ = torch.no_grad();
        foreach (var (name, target) in to.state_dict())
        {
            if (!source.TryGetValue(name, out var s) || !s.shape.SequenceEqual(target.shape)) continue;
            target.copy_(s);
            copied.Add(name);
        }
        return copied;
    }
}
