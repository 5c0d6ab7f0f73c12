namespace Crossfeed.AbTest;

internal static class Choice
{
    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int ArgMax(int count, Func<int, double> value)
    {
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            double v = value(i);
            if (v > bestValue)
            {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }
}
