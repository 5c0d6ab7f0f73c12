using Crossfeed.Core;
using Crossfeed.Nn.Architectures;
using static TorchSharp.torch;

namespace Crossfeed.Nn;

/// <summary>Feature encoder, then the configured architecture with one tower per task: logits [B, T].</summary>
public sealed class MultiTaskModel : nn.Module<DeviceBatch, Tensor>
{
    private readonly FeatureEncoder _encoder;
    private readonly MultiTaskNetwork _network;

    public MultiTaskModel(FeatureLayout layout, ModelConfig config) : base(nameof(MultiTaskModel))
    {
        _encoder = new FeatureEncoder(layout, config.Training.EmbeddingOptimizer);
        _network = ArchitectureFactory.Create(config, layout.OutputWidth);
        TaskCount = config.Tasks.Count;
        RegisterComponents();
    }

    public int TaskCount { get; }

    public FeatureEncoder Encoder => _encoder;

    /// <summary>Per task index, its head (see <see cref="MultiTaskNetwork.Heads"/>).</summary>
    public IReadOnlyList<Tower> Heads => _network.Heads;

    /// <summary>The modules only task <paramref name="task"/> uses (see <see cref="MultiTaskNetwork.TaskModules"/>).</summary>
    public IReadOnlyList<nn.Module> TaskModules(int task) => _network.TaskModules(task);

    /// <summary>Parameters the dense optimiser updates (everything but lazily updated tables).</summary>
    public IEnumerable<(string Name, TorchSharp.Modules.Parameter P)> DenseParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));

    public override Tensor forward(DeviceBatch batch) => _network.call(_encoder.call(batch));

    /// <summary>The encoder's output (the representation every task shares) and the logits.</summary>
    public (Tensor Shared, Tensor Logits) ForwardParts(DeviceBatch batch)
    {
        var shared = _encoder.call(batch);
        return (shared, _network.call(shared));
    }
}
