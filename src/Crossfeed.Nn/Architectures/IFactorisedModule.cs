using static TorchSharp.torch;

namespace Crossfeed.Nn.Architectures;

/// <summary>A module that reads the encoder output directly and can do so from its factorised form (see <see cref="FactorisedInput"/>).</summary>
public interface IFactorisedModule
{
    /// <summary>The same result as the module's forward over the full rows of <paramref name="input"/>: [N, out].</summary>
    Tensor ForwardFactorised(FactorisedInput input);
}
