using Crossfeed.Core;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>Builds one expert from an <see cref="ExpertSpec"/>: an MLP, or a DCN-v2 block when it has DCN options.</summary>
public static class Experts
{
    public static nn.Module<Tensor, Tensor> Create(string name, ExpertSpec spec, long inputDim, double dropout) =>
        spec.Dcn is { } dcn
            ? new DcnExpert(name, inputDim, dcn.CrossLayers, dcn.LowRank, spec.Hidden, dropout)
            : new Mlp(name, inputDim, spec.Hidden, dropout);

    /// <summary>Width of every expert's output (both kinds end in the same MLP widths).</summary>
    public static long OutputDim(ExpertSpec spec, long inputDim) => spec.Hidden.Count > 0 ? spec.Hidden[^1] : inputDim;
}
