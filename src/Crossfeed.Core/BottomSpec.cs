namespace Crossfeed.Core;

/// <summary>
/// The shared-bottom MLP (YAML key <c>encoder</c>): layer widths, batch norm after the first layer.
/// Not the feature encoder, which embeds the inputs for every architecture.
/// </summary>
public sealed record BottomSpec
{
    public BottomSpec(IReadOnlyList<int> hidden) => Hidden = hidden;

    public IReadOnlyList<int> Hidden
    {
        get;
        init => field = LayerWidths.Check(value, nameof(Hidden));
    }
}
