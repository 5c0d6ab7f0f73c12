namespace Crossfeed.Core;

/// <summary>
/// Transfer from a trained bundle: the new config lists the bundle's tasks first (same order), then the
/// new ones. FreezeEncoder trains only the new heads; InitFrom starts a new head from an existing
/// head's weights; ZeroShot applies those copied heads without any training (a head scored against a new label).
/// </summary>
public sealed record FinetuneSpec(bool FreezeEncoder, IReadOnlyDictionary<string, string> InitFrom, bool ZeroShot);
