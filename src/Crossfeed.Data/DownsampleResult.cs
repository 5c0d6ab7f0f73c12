namespace Crossfeed.Data;

/// <summary>The rows kept by a <see cref="Downsampler"/> and the rates, so calibration can undo them.</summary>
public sealed class DownsampleResult
{
    public required int[] Rows { get; init; }
    /// <summary>Per kept row: the keep rate of its group (1 when no rule matched). Weight 1/rate restores natural frequencies.</summary>
    public required float[] KeepRate { get; init; }
    public required IReadOnlyList<AppliedDownsample> Rates { get; init; }
}
