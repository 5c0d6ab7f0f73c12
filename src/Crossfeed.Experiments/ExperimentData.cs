using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>The loaded dataset a suite runs on: every variant trains on the same splits.</summary>
public sealed record ExperimentData(DatasetConfig Dataset, EncodedSplit Train, EncodedSplit Val, EncodedSplit Test, Preprocessor Preprocessor)
{
    public static ExperimentData From(EncodedDataset d) => new(d.Config, d.Train, d.Val, d.Test, d.Preprocessor);
}
