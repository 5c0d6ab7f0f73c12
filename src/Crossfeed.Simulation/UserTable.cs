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
    public float[] AdReceptiveness = [];  // logits added to every ad outcome: demographic mean + own part

    // Derived from the above and the shows (see World.DeriveUserProfiles); never stored.
    public float[] LogActivity = [];
    public float[] GenreShare = [];      // Count x Genres: share of the history in each genre
    public float[] TopicShare = [];      // Count x Topics: topic occurrences in the history / history length
}
