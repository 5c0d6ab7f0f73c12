namespace Crossfeed.Core;

/// <summary>One expert: an MLP of <see cref="Hidden"/> widths, preceded by DCN-v2 cross layers when <see cref="Dcn"/> is set.</summary>
public sealed record ExpertSpec
{
    public ExpertSpec(IReadOnlyList<int> hidden, DcnSpec? dcn = null)
    {
        Hidden = hidden;
        Dcn = dcn;
    }

    public IReadOnlyList<int> Hidden
    {
        get;
        init => field = LayerWidths.Check(value, nameof(Hidden));
    }

    public DcnSpec? Dcn { get; init; }

    public ExpertKind Kind => Dcn is null ? ExpertKind.Mlp : ExpertKind.Dcn;
}
