namespace Crossfeed.Simulation;

/// <summary>Users: observed attributes, latent taste, and profiles derived from the listening history.</summary>
internal sealed class UserTable
{
    public int Count;
    public byte[] Country = [];
    public byte[] Age = [];
    public byte[] Device = [];
    public float[] Activity = [];
    public float[] Minutes = [];
    public float[] Latent = [];          // Count x LatentDim
    public int[][] History = [];         // show ids; the first Followed[u] of them are followed
    public int[] Followed = [];
    public int[][] TasteGenres = [];
    public float[][] TasteWeights = [];

    // Derived from the above and the shows (see World.DeriveUserProfiles); never stored.
    public float[] LogActivity = [];
    public float[] GenreShare = [];      // Count x Genres: share of the history in each genre
    public float[] TopicShare = [];      // Count x Topics: topic occurrences in the history / history length
}

/// <summary>Shows: content, latent parameters, launch, and the platform's daily listening.</summary>
internal sealed class ShowTable
{
    public int Count;
    public int[] Genre = [];
    public int[][] Topics = [];
    public float[] Latent = [];          // Count x LatentDim
    public float[][] Embedding = [];     // the noisy projection logged as show_embedding
    public double[] Quality = [];
    public double[] BaseStreams = [];    // steady-state platform streams per 30 days (power law)
    public int[] LaunchDay = [];
    public int[] Cadence = [];           // days between episodes
    public int[] DailyStreams = [];      // Count x (Days + 30): platform streams on days -30 .. Days-1
    public long[] Streams30 = [];        // Count x Days: streams over the 30 days before each day
    public byte[] Tier = [];             // Count x Days
}

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
