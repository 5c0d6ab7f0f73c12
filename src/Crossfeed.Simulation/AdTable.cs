namespace Crossfeed.Simulation;

/// <summary>Campaigns (each advertises one show) and their creatives.</summary>
internal sealed class AdTable
{
    public int CampaignCount;
    public int[] CampaignShow = [];
    public int[] CampaignStart = [];
    public int[] CampaignEnd = [];       // exclusive
    public double[] CampaignBidMultiplier = [];
    public double[] CampaignBudget = [];
    public double[] CampaignSpent = [];  // spent inside the log window

    public int CreativeCount;
    public int[] CreativeCampaign = [];
    public byte[] CreativeModality = [];
    public string[] CreativeFormat = [];
    public float[] CreativeBidCpm = [];
    public double[] CreativeClickEffect = [];
    public double[] CreativeStreamEffect = [];
}
