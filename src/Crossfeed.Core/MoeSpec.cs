namespace Crossfeed.Core;

/// <summary>
/// MMoE and CAMoE: <see cref="Count"/> shared experts and one softmax gate per task, or per task group
/// when <see cref="GatePerGroup"/> (CAMoE's default, with DCN-v2 experts).
/// </summary>
public sealed record MoeSpec
{
    public MoeSpec(int count, ExpertSpec expert, bool gatePerGroup)
    {
        Count = count;
        Expert = expert;
        GatePerGroup = gatePerGroup;
    }

    public int Count
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Count), value, "at least one expert");
    }

    public ExpertSpec Expert
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Expert));
    }

    public bool GatePerGroup { get; init; }
}
