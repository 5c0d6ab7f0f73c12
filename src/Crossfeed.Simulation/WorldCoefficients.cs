namespace Crossfeed.Simulation;

/// <summary>
/// The world's global parameters, stored in world.json beside the config. Arrays indexed [row][outcome]
/// use the outcome order stream, click, like, follow; [source] uses promotion, ad.
/// </summary>
public sealed class WorldCoefficients
{
    public string[] Genres { get; init; } = [];
    public double[] GenrePopularity { get; init; } = [];
    public string[] Topics { get; init; } = [];
    public string[] Countries { get; init; } = [];
    public string[] AgeBuckets { get; init; } = [];
    public string[] Devices { get; init; } = [];
    public string[] SessionStates { get; init; } = [];
    public double[] HourProfile { get; init; } = [];

    /// <summary>Genre centroids of the latent space, [genre][LatentDim].</summary>
    public double[][] GenreCentroids { get; init; } = [];

    /// <summary>Topic directions added to a show's latent vector, [topic][LatentDim].</summary>
    public double[][] TopicVectors { get; init; } = [];

    /// <summary>show_embedding = latent x projection + noise; [LatentDim][EmbeddingDim].</summary>
    public double[][] EmbeddingProjection { get; init; } = [];

    public SlotSpec[] Slots { get; init; } = [];

    /// <summary>Attention per modality (audio, video, display): multiplies the affinity term.</summary>
    public double[] ModalityAttention { get; init; } = [];

    /// <summary>Weight of the shared affinity in each outcome's logit, [source][outcome].</summary>
    public double[][] TaskAffinity { get; init; } = [];

    public double[][] SessionEffects { get; init; } = [];
    public double[][] HourEffects { get; init; } = [];
    public double[][] CountryEffects { get; init; } = [];
    public double[][] AgeEffects { get; init; } = [];
    public double[][] DeviceEffects { get; init; } = [];

    /// <summary>Extra logit of like per unit of show quality (likes reward quality more than streams do).</summary>
    public double LikeQualityWeight { get; init; }

    /// <summary>Logit shift of follow when the user already follows the show.</summary>
    public double FollowedPenalty { get; init; }

    /// <summary>Share of a creative's stream effect that also reaches follow.</summary>
    public double CreativeFollowShare { get; init; }

    /// <summary>Mean ad receptiveness (logits) of each age bucket and each device: the part of it a model can observe.</summary>
    public double[] AdReceptivenessAge { get; init; } = [];

    public double[] AdReceptivenessDevice { get; init; } = [];

    /// <summary>Intercepts solved on the generated log so that rates land near the configured base rates, [source][outcome].</summary>
    public double[][] Intercepts { get; set; } = [];
}
