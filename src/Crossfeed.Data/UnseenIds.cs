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
    public static IReadOnlyDictionary<string, double> Shares(EncodedSplit split, Preprocessor preprocessor)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (feature, ids) in split.Ids)
        {
            if (preprocessor.Feature(feature).Table is null) continue; // quantile_bins ids are buckets, never out of vocabulary
            var table = preprocessor.TableOf(feature);
            if (table.HashBuckets > 0) continue;
            long known = 0, oov = 0;
            foreach (var id in ids)
            {
                if (id == 0) continue;
                known++;
                if (table.IsOov(id)) oov++;
            }
            shares[feature] = known == 0 ? double.NaN : (double)oov / known;
        }
        return shares;
    }

    /// <summary>
    /// One line naming the features whose OOV share on validation or test is at least <paramref name="threshold"/>,
    /// with their shares on train, val and test; null when there is none.
    /// </summary>
    public static string? Describe(EncodedDataset data, double threshold = 0.05)
    {
        var train = Shares(data.Train, data.Preprocessor);
        var val = Shares(data.Val, data.Preprocessor);
        var test = Shares(data.Test, data.Preprocessor);
        static double Z(double v) => double.IsNaN(v) ? 0 : v;
        static string Pct(double v) => double.IsNaN(v) ? "n/a" : (100 * v).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";
        var high = train.Keys
            .Where(f => Math.Max(Z(val.GetValueOrDefault(f)), Z(test.GetValueOrDefault(f))) >= threshold)
            .Select(f => $"{f} {Pct(train[f])} / {Pct(val.GetValueOrDefault(f, double.NaN))} / {Pct(test.GetValueOrDefault(f, double.NaN))}")
            .ToList();
        return high.Count == 0 ? null : $"ids the training vocabulary does not know (train / val / test): {string.Join("; ", high)}";
    }
}
