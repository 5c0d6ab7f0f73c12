namespace Crossfeed.Simulation;

/// <summary>
/// A block of the generated impressions, whole days in timestamp order, in columnar arrays reused from block to
/// block: the log is generated, written and summarised a block at a time and never held whole. Only what cannot be
/// looked up in the world is stored per row; the writer derives the rest (genre, tier, ...) from the world's tables.
/// Row i of the block is row <see cref="First"/> + i of the log.
/// </summary>
internal sealed class ImpressionLog
{
    public ImpressionLog(int capacity)
    {
        TsMicros = new long[capacity];
        Day = new short[capacity];
        Hour = new byte[capacity];
        Slot = new byte[capacity];
        Session = new byte[capacity];
        User = new int[capacity];
        Show = new int[capacity];
        Creative = new int[capacity];
        Episode = new long[capacity];
        Cost = new double[capacity];
        Listening = new int[capacity];
        Exposures = new int[capacity];
        for (int t = 0; t < 4; t++)
        {
            P[t] = new double[capacity];
            Label[t] = new sbyte[capacity];
        }
    }

    /// <summary>The log's index of the block's first row.</summary>
    public long First { get; private set; }

    /// <summary>Rows in the block.</summary>
    public int Count { get; private set; }

    /// <summary>The block's first day.</summary>
    public int FirstDay { get; private set; }

    public int Capacity => User.Length;

    /// <summary>Empties the block; its next row is row <paramref name="first"/> of the log, on <paramref name="firstDay"/>.</summary>
    public void Reset(long first, int firstDay)
    {
        First = first;
        FirstDay = firstDay;
        Count = 0;
    }

    /// <summary>Makes room for <paramref name="rows"/> more rows and returns the first one's index in the block.</summary>
    public int Grow(int rows)
    {
        if (rows < 0 || Count + rows > Capacity)
            throw new InvalidOperationException($"a block of {Capacity:N0} rows cannot take {rows:N0} more after {Count:N0}");
        int at = Count;
        Count += rows;
        return at;
    }

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
