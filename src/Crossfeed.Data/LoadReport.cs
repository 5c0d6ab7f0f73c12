using System.Globalization;
using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>What a load did: rows read and dropped, rows per split, quantile cut points, time taken.</summary>
public sealed record LoadReport(
    long RowsRead,
    long RowsDropped,
    int TrainRows,
    int ValRows,
    int TestRows,
    IReadOnlyList<double> CutPoints,
    IReadOnlyDictionary<SplitName, string> SplitRules,
    TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"read {RowsRead:N0} rows in {Elapsed.TotalSeconds:F1} s ({RowsPerSecond:N0} rows/s): train {TrainRows:N0} ({SplitRules[SplitName.Train]}), val {ValRows:N0} ({SplitRules[SplitName.Val]}), test {TestRows:N0} ({SplitRules[SplitName.Test]}), dropped {RowsDropped:N0} outside every split");
}
