namespace Crossfeed.Data;

/// <summary>A downsampling rule as applied: the configured rate and what it did.</summary>
public sealed record AppliedDownsample(string Source, string? Modality, double Rate, long RowsBefore, long RowsKept)
{
    /// <summary>Kept / before (equals Rate up to rounding of one row).</summary>
    public double RealisedRate => RowsBefore == 0 ? Rate : (double)RowsKept / RowsBefore;
}
