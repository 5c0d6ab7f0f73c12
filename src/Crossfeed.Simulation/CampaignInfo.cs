namespace Crossfeed.Simulation;

/// <summary>One campaign: the show it advertises, its days [StartDay, EndDay) and budget.</summary>
public readonly record struct CampaignInfo(int CampaignId, int ShowId, int StartDay, int EndDay, double Budget, double SpentInLog);
