namespace Crossfeed.Core;

/// <summary>
/// DCN-v2 cross layers in front of an expert's MLP: x_{l+1} = x0 * (W x_l + b) + x_l, with W a full
/// matrix or, when <see cref="LowRank"/> &gt; 0, the product U V^T of that rank.
/// </summary>
public sealed record DcnSpec
{
    public DcnSpec(int crossLayers, int lowRank)
    {
        CrossLayers = crossLayers;
        LowRank = lowRank;
    }

    /// <summary>1 to 16.</summary>
    public int CrossLayers
    {
        get;
        init => field = value is >= 1 and <= 16 ? value : throw new ArgumentOutOfRangeException(nameof(CrossLayers), value, "must be 1 to 16");
    }

    /// <summary>0: full matrices.</summary>
    public int LowRank
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(LowRank), value, "must be >= 0");
    }
}
