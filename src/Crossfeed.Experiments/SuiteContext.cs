using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Experiments;

/// <summary>
/// What a suite is built from: the dataset, the configs/ folder with the shipped model configs, and the
/// training split when loaded (the camoe suite groups tasks by the slots and content types it holds;
/// without it those variants are left out with a note).
/// </summary>
public sealed record SuiteContext(DatasetConfig Dataset, string ConfigsDir, EncodedSplit? Train = null);
