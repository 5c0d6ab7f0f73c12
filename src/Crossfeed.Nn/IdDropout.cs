using Crossfeed.Core;

namespace Crossfeed.Nn;

/// <summary>
/// Training-time id dropout: with a per-feature probability a known id is replaced by an out-of-vocabulary
/// id (1 + id mod the feature's OOV buckets), so the OOV rows are trained on typical examples and an id
/// unseen in training (a creative launched after the training days) gets a learned embedding instead of its
/// initial one. Draws come from the training seed and the step, so a resumed run drops the same ids.
/// </summary>
public sealed class IdDropout
{
    private readonly double[] _rate;
    private readonly int[] _buckets;
    private readonly int _seed;

    /// <param name="layout">The model's inputs; rates of features it does not read are ignored.</param>
    /// <param name="rates">Feature to probability in [0, 1).</param>
    /// <param name="oovBuckets">The OOV bucket count of a feature's table (its ids 1..buckets are OOV).</param>
    public IdDropout(FeatureLayout layout, IReadOnlyDictionary<string, double> rates, Func<string, int> oovBuckets, int seed)
    {
        _rate = new double[layout.Categorical.Count];
        _buckets = new int[layout.Categorical.Count];
        for (int c = 0; c < layout.Categorical.Count; c++)
        {
            var input = layout.Categorical[c];
            if (input.IsList || !rates.TryGetValue(input.Feature, out var rate)) continue;
            if (rate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rates), $"{input.Feature}: rate must be in [0, 1)");
            _rate[c] = rate;
            _buckets[c] = Math.Max(1, oovBuckets(input.Feature));
        }
        _seed = seed;
    }

    /// <summary>Null when the config drops no feature's ids.</summary>
    public static IdDropout? For(FeatureLayout layout, ModelConfig model, DatasetConfig dataset) =>
        model.IdDropoutRates.Count == 0 ? null
            : new IdDropout(layout, model.IdDropoutRates, f => dataset.Feature(f)?.OovBuckets ?? 1, model.Training.Seed);

    /// <summary>The random draws of one training step.</summary>
    internal Random Draws(long step) => new(unchecked((int)(_seed * 2_654_435_761L + step * 40_503L)));

    /// <summary>The id to feed for categorical input c: the id itself, or (with the input's probability) an OOV id.</summary>
    internal int Apply(int c, int id, Random draws)
    {
        double rate = _rate[c];
        if (rate == 0 || id <= _buckets[c]) return id; // missing (0) and OOV ids stay
        return draws.NextDouble() < rate ? 1 + id % _buckets[c] : id;
    }
}
