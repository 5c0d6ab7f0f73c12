namespace Crossfeed.Simulation;

/// <summary>One ad creative as the A/B simulator sees it.</summary>
public readonly record struct CreativeInfo(int CreativeId, int CampaignId, int ShowId, string AdFormat, Modality Modality, float BidCpm);
