namespace Crossfeed.Data;

public static class BatchSamplerExtensions
{
    /// <summary>The next epoch's batches (one array per batch).</summary>
    public static IEnumerable<int[]> Epoch(this IBatchSampler sampler)
    {
        var buf = new int[sampler.BatchSize];
        for (int b = 0; b < sampler.BatchesPerEpoch; b++)
        {
            int n = sampler.NextBatch(buf);
            yield return buf.AsSpan(0, n).ToArray();
        }
    }
}
