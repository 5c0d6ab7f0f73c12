using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// Majority downsampling (CAMoE): keeps a configured rate of the rows of a source, optionally only
/// those of one modality. When several rules match a row, the last one wins. Exactly
/// round(rate * rows) rows of each rule's group are kept, chosen by a seeded shuffle; kept rows stay in
/// their original order.
/// </summary>
public static class Downsampler
{
    public static DownsampleResult Apply(ReadOnlySpan<int> source, IReadOnlyList<string> sourceNames, IReadOnlyList<string?>? modality, IReadOnlyList<DownsampleRule> rules, int seed)
    {
        int n = source.Length;
        if (modality is not null && modality.Count != n) throw new ArgumentException("modality must have one value per row", nameof(modality));
        var ruleSource = new int[rules.Count];
        for (int r = 0; r < rules.Count; r++)
        {
            ruleSource[r] = IndexOf(sourceNames, rules[r].Source);
            if (ruleSource[r] < 0) throw new BadInputException($"downsample: unknown source '{rules[r].Source}' (sources: {string.Join(", ", sourceNames)})");
            if (!(rules[r].Rate > 0 && rules[r].Rate <= 1)) throw new BadInputException($"downsample: rate must be in (0, 1], got {rules[r].Rate}");
            if (rules[r].Modality is not null && modality is null)
                throw new BadInputException($"downsample: the rule for modality '{rules[r].Modality}' needs analysis.modality in the dataset config");
        }
        var group = new int[n];
        var members = new List<int>[rules.Count];
        for (int r = 0; r < rules.Count; r++) members[r] = [];
        for (int i = 0; i < n; i++)
        {
            int g = -1;
            for (int r = rules.Count - 1; r >= 0 && g < 0; r--)
                if (source[i] == ruleSource[r] && (rules[r].Modality is null || rules[r].Modality == modality![i])) g = r;
            group[i] = g;
            if (g >= 0) members[g].Add(i);
        }
        var keep = new bool[n];
        for (int i = 0; i < n; i++) keep[i] = group[i] < 0;
        var rng = new SplitMix64(seed);
        var applied = new AppliedDownsample[rules.Count];
        for (int r = 0; r < rules.Count; r++)
        {
            var m = members[r];
            int k = (int)Math.Round(m.Count * rules[r].Rate, MidpointRounding.AwayFromZero);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(m);
            // Partial Fisher-Yates: the first k positions become a uniform sample.
            for (int j = 0; j < k; j++)
            {
                int pick = j + rng.NextInt(span.Length - j);
                (span[j], span[pick]) = (span[pick], span[j]);
                keep[span[j]] = true;
            }
            applied[r] = new AppliedDownsample(rules[r].Source, rules[r].Modality, rules[r].Rate, m.Count, k);
        }
        int kept = 0;
        foreach (var b in keep) if (b) kept++;
        var rows = new int[kept];
        var rate = new float[kept];
        int o = 0;
        for (int i = 0; i < n; i++)
        {
            if (!keep[i]) continue;
            rows[o] = i;
            rate[o] = group[i] < 0 ? 1f : (float)rules[group[i]].Rate;
            o++;
        }
        return new DownsampleResult { Rows = rows, KeepRate = rate, Rates = applied };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }
}
