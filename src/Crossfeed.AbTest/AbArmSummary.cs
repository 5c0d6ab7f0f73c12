namespace Crossfeed.AbTest;

/// <summary>Per arm over all replays: visits left unfilled (every candidate capped or out of budget), budget, spend, and the largest overspend of one campaign's half budget (never above 0).</summary>
public sealed record AbArmSummary(string Name, long Unfilled, double Budget, double Spend, double MaxCampaignOverspend);
