namespace Crossfeed.Simulation;

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
