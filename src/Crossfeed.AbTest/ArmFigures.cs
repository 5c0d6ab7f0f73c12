namespace Crossfeed.AbTest;

/// <summary>What one arm got in one segment: impressions, streams, clicks and spend; i2s, CTR and eCPS from them.</summary>
public sealed record ArmFigures(double Impressions, double Streams, double Clicks, double Spend)
{
    /// <summary>Streams per impression.</summary>
    public double? I2s => Impressions > 0 ? Streams / Impressions : null;

    public double? Ctr => Impressions > 0 ? Clicks / Impressions : null;

    /// <summary>Effective cost per stream: spend / streams (ads only; null without streams or spend).</summary>
    public double? Ecps => Streams > 0 && Spend > 0 ? Spend / Streams : null;

    public double? Value(AbMetric m) => m switch
    {
        AbMetric.Impressions => Impressions,
        AbMetric.Streams => Streams,
        AbMetric.I2s => I2s,
        AbMetric.Ctr => Ctr,
        _ => Ecps,
    };
}

/// <summary>The figures the report compares.</summary>
public enum AbMetric
{
    Impressions,
    Streams,
    I2s,
    Ctr,
    Ecps,
}
