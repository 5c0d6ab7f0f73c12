namespace Crossfeed.AbTest;

/// <summary>
/// One arriving user visit, the same in both arms (common random numbers): who, when, where, what plays,
/// and the candidates retrieved for it (creative ids for an ad opportunity, show ids for a promotion slot).
/// </summary>
internal sealed record Visit(int Index, int User, int Day, int Hour, int Slot, int Session, int Listening, bool IsAd, int[] Pool, double Clearing);
