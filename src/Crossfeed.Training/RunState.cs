using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>Training position and early-stopping state; saved with every checkpoint.</summary>
public sealed record RunState
{
    public int Epoch { get; set; }
    public long StepInEpoch { get; set; }
    public long Step { get; set; }
    public double BestScore { get; set; } = double.NegativeInfinity;
    public int BestEpoch { get; set; }
    public int BadEpochs { get; set; }
    public IReadOnlyList<EpochRecord> History { get; set; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, Tensor>? BestInMemory { get; set; }
}
