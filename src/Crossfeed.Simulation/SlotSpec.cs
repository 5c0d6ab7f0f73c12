namespace Crossfeed.Simulation;

/// <summary>
/// One placement: where an impression is shown. A slot fixes the source, surface, layout, modality and
/// content type; its attention multiplies the user-show affinity, its effects shift each outcome's logit.
/// </summary>
public sealed record SlotSpec(
    string Name,
    Source Source,
    string Surface,
    string Layout,
    Modality Modality,
    string ContentType,
    double Weight,
    double Attention,
    IReadOnlyList<double> SessionShares,
    IReadOnlyList<double> Effects);
