namespace Crossfeed.Experiments;

/// <summary>
/// A variant on one metric: the head that scored it ("a + b" when rows were routed to narrower heads by
/// their scope; borrowed: built for other rows), the slices' AP and the ROC-AUC on all the metric's rows.
/// </summary>
public sealed record VariantMetric(
    string? Head,
    bool BorrowedHead,
    SliceResult? All,
    IReadOnlyDictionary<string, SliceResult> ByTier,
    SliceResult? LessStreamed,
    SliceResult? Rest,
    AucSummary? RocAuc = null);
