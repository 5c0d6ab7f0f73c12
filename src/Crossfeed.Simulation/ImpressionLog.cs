namespace Crossfeed.Simulation;

/// <summary>
/// The generated impressions in columnar arrays, in timestamp order. Only what cannot be looked up in
/// the world is stored per row; the writer derives the rest (genre, tier, ...) from the world's tables.
/// </summary>
internal sealed class ImpressionLog
{
    public ImpressionLog(int count, int days)
    {
        Count = count;
        DayStart = new int[days + 1];
        TsMicros = new long[count];
        Day = new short[count];
        Hour = new byte[count];
        Slot = new byte[count];
        Session = new byte[count];
        User = new int[count];
        Show = new int[count];
        Creative = new int[count];
        Episode = new long[count];
        Cost = new double[count];
        Listening = new int[count];
        Exposures = new int[count];
        for (int t = 0; t < 4; t++)
        {
            P[t] = new double[count];
            Label[t] = new sbyte[count];
        }
    }

    public int Count { get; }

    /// <summary>Rows of day d are [DayStart[d], DayStart[d + 1]).</summary>
    public int[] DayStart { get; }

    /// <summary>Microseconds since the Unix epoch (UTC).</summary>
    public long[] TsMicros { get; }

    public short[] Day { get; }

    public byte[] Hour { get; }

    public byte[] Slot { get; }

    public byte[] Session { get; }

    public int[] User { get; }

    public int[] Show { get; }

    /// <summary>Creative id for ads, -1 for promotions.</summary>
    public int[] Creative { get; }

    public long[] Episode { get; }

    public double[] Cost { get; }

    /// <summary>The show being played on a now-playing surface, -1 elsewhere.</summary>
    public int[] Listening { get; }

    /// <summary>Ads: the user's earlier impressions of the creative's campaign in the log; 0 for promotions.</summary>
    public int[] Exposures { get; }

    /// <summary>Per outcome: the logit offset during generation, then the true probability.</summary>
    public double[][] P { get; } = new double[4][];

    /// <summary>Per outcome: 0/1, or -1 where the outcome is not observable.</summary>
    public sbyte[][] Label { get; } = new sbyte[4][];
}
