namespace Crossfeed.Experiments;

/// <summary>Settings of a LightGBM peer (one binary classifier per metric).</summary>
public sealed record LightGbmPeerOptions
{
    public int Iterations { get; init; } = 300;
    public double LearningRate { get; init; } = 0.05;
    public int Leaves { get; init; } = 63;
    public int MinExamplesPerLeaf { get; init; } = 100;

    /// <summary>Stop when validation log loss has not improved for this many rounds (0: off).</summary>
    public int EarlyStoppingRounds { get; init; } = 30;

    /// <summary>Train on every row where the label is known (any source, source as a feature) instead of the metric's rows.</summary>
    public bool Pooled { get; init; }

    /// <summary>Categorical features as LightGBM categorical splits (else their ids as numbers).</summary>
    public bool CategoricalSplits { get; init; } = true;

    /// <summary>Lists with a table of their own and at most this many ids become a count per id (a multi-hot).</summary>
    public int SmallListVocabulary { get; init; } = 1024;
    public int Seed { get; init; } = 1;
}
