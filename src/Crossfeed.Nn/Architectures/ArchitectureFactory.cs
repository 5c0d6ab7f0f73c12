using Crossfeed.Core;

namespace Crossfeed.Nn.Architectures;

/// <summary>Builds the dense multi-task part of a model from its config; the trainer never checks which one it has.</summary>
public static class ArchitectureFactory
{
    /// <summary>
    /// Maps the encoder's concatenated input [B, inputDim] (float32) to logits [B, T], T = config.Tasks.Count,
    /// in task order, towers included. Initialisation draws from torch's generator, so it is deterministic
    /// given torch.manual_seed.
    /// </summary>
    public static MultiTaskNetwork Create(ModelConfig config, long inputDim)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        double dropout = config.Training.Dropout;
        return config.Architecture switch
        {
            Architecture.SharedBottom => new SharedBottomModel(
                "shared_bottom", inputDim, config.Bottom.Hidden, dropout, config.Tasks.Select(t => t.Tower).ToArray()),
            Architecture.Mmoe => new MixtureOfExpertsModel("mmoe", inputDim, Options(config.Moe, config), config.Tasks, dropout),
            // CAMoE is MMoE with DCN-v2 experts and gates per task group; the loader defaults to DCN options and
            // GatePerGroup true for it, and an explicit kind: mlp gives the "MLP experts" ablation.
            Architecture.Camoe => new MixtureOfExpertsModel("camoe", inputDim, Options(config.Moe, config), config.Tasks, dropout),
            Architecture.Ple => new PleModel("ple", inputDim, Options(config.Ple, config), config.Tasks, dropout),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Architecture, "unknown architecture"),
        };
    }

    private static T Options<T>(T? options, ModelConfig config) where T : class =>
        options ?? throw new ArgumentException($"{config.Architecture} needs {typeof(T).Name} options", nameof(config));
}
