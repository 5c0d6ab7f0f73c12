namespace Crossfeed.AbTest;

/// <summary>One impression an arm served, with what the report slices it by.</summary>
internal readonly record struct Served(int User, bool Ad, byte Tier, bool LessStreamed, byte Modality, bool Stream, bool Click, double Cost);
