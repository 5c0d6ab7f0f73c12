namespace Crossfeed.Data;

/// <summary>
/// How many ids of a split the training vocabulary does not know: per categorical feature, the share of
/// its non-missing ids that land in an out-of-vocabulary row (unseen in training, or rarer there than
/// min_count). A high share on validation or test means the feature's embedding mostly sees an OOV row
/// it hardly trained (ad creatives launched after the training days, say).
/// </summary>
public static class UnseenIds
{
    /// <summary>Feature to OOV share of its non-missing ids (NaN when the split has none); hashed features are left out.</summary>
    public static IReadOnlyDictionary<string, double> Shares(EncodedSplit split, Preprocessor preprocessor) => Shares([split], preprocessor);

    /// <summary>As <see cref="Shares(EncodedSplit, Preprocessor)"/>, over the rows of every block together (a split read block by block).</summary>
    public static IReadOnlyDictionary<string, double> Shares(IEnumerable<EncodedSplit> blocks, Preprocessor preprocessor)
    {
        var counts = new Dictionary<string, (long Known, long Oov)>(StringComparer.Ordinal);
        foreach (var split in blocks)
            foreach (var (feature, ids) in split.Ids)
            {
                if (preprocessor.Feature(feature).Table is null) continue; // quantile_bins ids are buckets, never out of vocabulary
                var table = preprocessor.TableOf(feature);
                if (table.HashBuckets > 0) continue;
                var (known, oov) = counts.GetValueOrDefault(feature);
                foreach (var id in ids)
                {
                    if (id == 0) continue;
                    known++;
                    if (table.IsOov(id)) oov++;
                }
                counts[feature] = (known, oov);
            }
        return counts.ToDictionary(kv => kv.Key, kv => kv.Value.Known == 0 ? double.NaN : (double)kv.Value.Oov / kv.Value.Known, StringComparer.Ordinal);
    }

    /// <summary>
    /// One line naming the features whose OOV share on validation or test is at least <paramref name="threshold"/>,
    /// with their shares on train, val and test; null when there is none.
    /// </summary>
    public static string? Describe(EncodedDataset data, double threshold = 0.05) =>
        Describe(Shares(data.Train, data.Preprocessor), Shares(data.Val, data.Preprocessor), Shares(data.Test, data.Preprocessor), threshold);

    /// <summary>As <see cref="Describe(EncodedDataset, double)"/>, from each split's shares.</summary>
    public static string? Describe(IReadOnlyDictionary<string, double> train, IReadOnlyDictionary<string, double> val,
                                   IReadOnlyDictionary<string, double> test, double threshold = 0.05)
    {
        static double Z(double v) => double.IsNaN(v) ? 0 : v;
        static string Pct(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        var high = train.Keys
            .Where(f => Math.Max(Z(val.GetValueOrDefault(f)), Z(test.GetValueOrDefault(f))) >= threshold)
            .Select(f => $"{f} {Pct(train[f])} / {Pct(val.GetValueOrDefault(f, double.NaN))} / {Pct(test.GetValueOrDefault(f, double.NaN))}")
            .ToList();
        return high.Count == 0 ? null : $"ids the training vocabulary does not know (train / val / test): {string.Join("; ", high)}";
    }
}
