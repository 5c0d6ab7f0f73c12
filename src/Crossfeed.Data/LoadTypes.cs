using System.Globalization;
using Crossfeed.Core;

namespace Crossfeed.Data;

public enum LoadPhase { Schema, Quantiles, Fit, Encode }

/// <summary>Progress of a load: the phase, the file (or query) being read, and rows read from it so far.</summary>
public readonly record struct LoadProgress(LoadPhase Phase, string Input, long Rows);

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

/// <summary>A loaded dataset: the preprocessor fitted on its training split and the three encoded splits.</summary>
public sealed record EncodedDataset(
    DatasetConfig Config,
    Preprocessor Preprocessor,
    EncodedSplit Train,
    EncodedSplit Val,
    EncodedSplit Test,
    LoadReport Report)
{
    public EncodedSplit this[SplitName split] => split switch
    {
        SplitName.Train => Train,
        SplitName.Val => Val,
        _ => Test,
    };
}
