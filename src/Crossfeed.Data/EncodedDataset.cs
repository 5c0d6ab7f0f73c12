using Crossfeed.Core;

namespace Crossfeed.Data;

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
