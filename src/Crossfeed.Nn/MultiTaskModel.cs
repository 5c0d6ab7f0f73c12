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
        FactorisedColumns = Columns(layout);
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

    /// <summary>The encoder output's user and context columns (<see cref="FactorisedColumns"/>.Shared) of <paramref name="batch"/>; only those features are looked up.</summary>
    public Tensor EncodeShared(DeviceBatch batch) => _encoder.Forward(batch, IsShared);

    /// <summary>The encoder output's content and creative columns (<see cref="FactorisedColumns"/>.Candidate) of <paramref name="batch"/>; only those features are looked up.</summary>
    public Tensor EncodeCandidates(DeviceBatch batch) => _encoder.Forward(batch, g => !IsShared(g));

    /// <summary>
    /// Logits [N, T] for one user-and-context row against N candidate rows, with the user and context part of
    /// every layer that reads the encoder output computed once (see <see cref="MultiTaskNetwork.ForwardFactorised(Tensor, Tensor, long[], long[])"/>).
    /// <paramref name="shared"/> is [1, Ds] from <see cref="EncodeShared"/>, <paramref name="candidates"/> [N, Dc] from
    /// <see cref="EncodeCandidates"/> (rows may come from earlier batches: the encoder is row-wise). Equals the forward
    /// over N rows that each hold the shared row's user and context features and one candidate's others.
    /// </summary>
    public Tensor ForwardFactorised(Tensor shared, Tensor candidates)
    {
        if (shared.shape[0] != 1) throw new ArgumentException($"the shared part must have one row, got {shared.shape[0]}", nameof(shared));
        var (sharedColumns, candidateColumns) = FactorisedColumns;
        return _network.ForwardFactorised(shared, candidates, sharedColumns, candidateColumns);
    }

    /// <summary>True for the feature groups a ranking request shares across its candidates (user and context).</summary>
    public static bool IsShared(FeatureGroup group) => group is FeatureGroup.User or FeatureGroup.Context;

    /// <summary>The encoder output's columns of shared groups (<see cref="IsShared"/>) and of the others, in output order.</summary>
    public (long[] Shared, long[] Candidate) FactorisedColumns { get; }

    private static (long[] Shared, long[] Candidate) Columns(FeatureLayout layout)
    {
        // Output order (FeatureEncoder.forward): categorical embeddings in layout order, then the dense values
        // copied as they are (by offset), then the projections of piecewise_linear numerics in layout order.
        var groups = new List<FeatureGroup>();
        foreach (var c in layout.Categorical) groups.AddRange(Enumerable.Repeat(c.Group, layout.Tables[c.Table].Dim));
        var plain = new FeatureGroup[layout.PlainDenseWidth];
        foreach (var d in layout.Dense.Where(d => d.Projection == 0))
            for (int i = 0; i < d.Width; i++) plain[d.Offset + i] = d.Group;
        groups.AddRange(plain);
        foreach (var d in layout.Dense.Where(d => d.Projection > 0)) groups.AddRange(Enumerable.Repeat(d.Group, d.Projection));
        var index = Enumerable.Range(0, groups.Count).Select(i => (long)i).ToArray();
        return (index.Where(i => IsShared(groups[(int)i])).ToArray(), index.Where(i => !IsShared(groups[(int)i])).ToArray());
    }

    /// <summary>The encoder's output (the representation every task shares) and the logits.</summary>
    public (Tensor Shared, Tensor Logits) ForwardParts(DeviceBatch batch)
    {
        var shared = _encoder.call(batch);
        return (shared, _network.call(shared));
    }
}
