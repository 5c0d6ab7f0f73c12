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
        FactorisedColumns = Columns(layout, null);
        RegisterComponents();
    }

    public int TaskCount { get; }

    /// <summary>Where the parameters live (the CPU unless training.device moved them); batches are built there.</summary>
    public Device Device => parameters().First().device;

    public FeatureEncoder Encoder => _encoder;

    /// <summary>Per task index, its head (see <see cref="MultiTaskNetwork.Heads"/>).</summary>
    public IReadOnlyList<Tower> Heads => _network.Heads;

    /// <summary>The modules only task <paramref name="task"/> uses (see <see cref="MultiTaskNetwork.TaskModules"/>).</summary>
    public IReadOnlyList<nn.Module> TaskModules(int task) => _network.TaskModules(task);

    /// <summary>Parameters the dense optimiser updates (everything but lazily updated tables).</summary>
    public IEnumerable<(string Name, TorchSharp.Modules.Parameter P)> DenseParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));

    public override Tensor forward(DeviceBatch batch) => _network.call(_encoder.call(batch));

    /// <summary>
    /// The encoder output's shared columns of <paramref name="batch"/>: the user and context features, except those in
    /// <paramref name="perCandidate"/> (a request whose candidates give their own placement scores those per candidate).
    /// Only those features are looked up.
    /// </summary>
    public Tensor EncodeShared(DeviceBatch batch, IReadOnlySet<string>? perCandidate = null) =>
        _encoder.Forward(batch, (name, group) => Shared(name, group, perCandidate));

    /// <summary>The encoder output's other columns of <paramref name="batch"/> (content and creative, and <paramref name="perCandidate"/>); only those features are looked up.</summary>
    public Tensor EncodeCandidates(DeviceBatch batch, IReadOnlySet<string>? perCandidate = null) =>
        _encoder.Forward(batch, (name, group) => !Shared(name, group, perCandidate));

    /// <summary>
    /// Logits [N, T] for one shared row against N candidate rows, with the shared part of every layer that reads the
    /// encoder output computed once (see <see cref="MultiTaskNetwork.ForwardFactorised(Tensor, Tensor, long[], long[])"/>).
    /// <paramref name="shared"/> is [1, Ds] from <see cref="EncodeShared"/>, <paramref name="candidates"/> [N, Dc] from
    /// <see cref="EncodeCandidates"/>, both with the same <paramref name="perCandidate"/> (rows may come from earlier
    /// batches: the encoder is row-wise). Equals the forward over N rows that each hold the shared row's features and one
    /// candidate's others.
    /// </summary>
    public Tensor ForwardFactorised(Tensor shared, Tensor candidates, IReadOnlySet<string>? perCandidate = null)
    {
        if (shared.shape[0] != 1) throw new ArgumentException($"the shared part must have one row, got {shared.shape[0]}", nameof(shared));
        var (sharedColumns, candidateColumns) = Partition(perCandidate);
        return _network.ForwardFactorised(shared, candidates, sharedColumns, candidateColumns);
    }

    /// <summary>The encoder output's shared columns and the others when <paramref name="perCandidate"/> features move to the candidates' side, in output order.</summary>
    public (long[] Shared, long[] Candidate) Partition(IReadOnlySet<string>? perCandidate) =>
        perCandidate is { Count: > 0 } ? Columns(_encoder.Layout, perCandidate) : FactorisedColumns;

    /// <summary>True for the feature groups a ranking request shares across its candidates (user and context).</summary>
    public static bool IsShared(FeatureGroup group) => group is FeatureGroup.User or FeatureGroup.Context;

    private static bool Shared(string feature, FeatureGroup group, IReadOnlySet<string>? perCandidate) =>
        IsShared(group) && !(perCandidate?.Contains(feature) ?? false);

    /// <summary>The encoder output's columns of shared groups (<see cref="IsShared"/>) and of the others, in output order.</summary>
    public (long[] Shared, long[] Candidate) FactorisedColumns { get; }

    private static (long[] Shared, long[] Candidate) Columns(FeatureLayout layout, IReadOnlySet<string>? perCandidate)
    {
        // Output order (FeatureEncoder.forward): categorical embeddings in layout order, then the dense values
        // copied as they are (by offset), then the projections of piecewise_linear numerics in layout order.
        var owners = new List<(string Feature, FeatureGroup Group)>();
        foreach (var c in layout.Categorical) owners.AddRange(Enumerable.Repeat((c.Feature, c.Group), layout.Tables[c.Table].Dim));
        var plain = new (string, FeatureGroup)[layout.PlainDenseWidth];
        foreach (var d in layout.Dense.Where(d => d.Projection == 0))
            for (int i = 0; i < d.Width; i++) plain[d.Offset + i] = (d.Feature, d.Group);
        owners.AddRange(plain);
        foreach (var d in layout.Dense.Where(d => d.Projection > 0)) owners.AddRange(Enumerable.Repeat((d.Feature, d.Group), d.Projection));
        var index = Enumerable.Range(0, owners.Count).Select(i => (long)i).ToArray();
        bool IsSharedColumn(long i) => Shared(owners[(int)i].Feature, owners[(int)i].Group, perCandidate);
        return (index.Where(IsSharedColumn).ToArray(), index.Where(i => !IsSharedColumn(i)).ToArray());
    }

    /// <summary>The encoder's output (the representation every task shares) and the logits.</summary>
    public (Tensor Shared, Tensor Logits) ForwardParts(DeviceBatch batch)
    {
        var shared = _encoder.call(batch);
        return (shared, _network.call(shared));
    }
}
