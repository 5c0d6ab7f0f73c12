using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>One training batch: the rows to train on as indices into <paramref name="Data"/>, and the same rows as indices into the whole training split.</summary>
public readonly record struct TrainingBatch(EncodedSplit Data, int[] Rows, int[] SplitRows);
