using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training.Tests;

/// <summary>Training from a cached split read block by block: the same batches as in memory when every source fits one buffer, and the same sampling rules when it does not.</summary>
public sealed class OutOfCoreTrainingTests : IDisposable
{
    private const string JointYaml = TinyData.BalancedJointYaml;

    private readonly string _dir = Directory.CreateTempSubdirectory("cf-ooc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EncodedSplit Skewed() => TinyData.Skewed();

    private CachedSplit Cache(EncodedSplit split, string name) => CachedSplit.Write(split, Path.Combine(_dir, name));

    private static List<int[]> Draws(ITrainingSampler sampler, int steps)
    {
        var draws = new List<int[]>();
        for (int s = 0; s < steps; s++) draws.Add(sampler.Next().SplitRows);
        return draws;
    }

    [Fact]
    public void Training_out_of_core_gives_the_same_weights_as_in_memory_when_every_source_fits_one_buffer()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, JointYaml);
        var train = Skewed();
        var val = TinyData.Split(300, seed: 6, name: SplitName.Val);
        var inMemoryDraws = new List<int[]>();
        var outOfCoreDraws = new List<int[]>();
        using var inMemory = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions(AfterStep: (_, rows) => inMemoryDraws.Add(rows)));
        using var cachedTrain = Cache(train, "train");
        using var cachedVal = Cache(val, "val");
        // Validation is read in blocks of 128 rows here: its AP must not depend on the blocks.
        using var outOfCore = Trainer.Fit(model, dataset, cachedTrain, cachedVal, TinyData.Preprocessor(dataset),
            new TrainOptions(AfterStep: (_, rows) => outOfCoreDraws.Add(rows)), blockRows: 128, bufferBlocks: 8);

        Assert.Equal(3 * 16, inMemoryDraws.Count);
        Assert.Equal(inMemoryDraws, outOfCoreDraws);
        Assert.Equal(inMemory.History.Epochs.Select(e => e.ValAp["ad_stream"]), outOfCore.History.Epochs.Select(e => e.ValAp["ad_stream"]));
        var a = inMemory.Network.state_dict();
        var b = outOfCore.Network.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, t) in a) Assert.True(t.equal(b[name]).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public void Validation_out_of_core_beyond_its_row_limit_scores_every_sth_block_only()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, JointYaml);
        var train = Skewed();
        var val = TinyData.Split(300, seed: 6, name: SplitName.Val);
        using var cachedTrain = Cache(train, "train");
        using var cachedVal = Cache(val, "val");
        // 300 validation rows in blocks of 128 (3 blocks), at most 256 rows: blocks 0 and 2, rows 0-127 and 256-299.
        // (Blocks of 128 rows, 8 per buffer, hold all 700 ad rows: training is then the in-memory training.)
        using var capped = Trainer.Fit(model, dataset, cachedTrain, cachedVal, TinyData.Preprocessor(dataset), new TrainOptions(),
            blockRows: 128, bufferBlocks: 8, maxValidationRows: 256);
        var sample = Enumerable.Range(0, 128).Concat(Enumerable.Range(256, 44)).ToArray();
        using var onSample = Trainer.Fit(model, dataset, train, val.Subset(sample), TinyData.Preprocessor(dataset), new TrainOptions());
        using var onAll = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions());

        // Training is the same in all three (every source fits one buffer); validation differs by the rows it scores.
        foreach (var task in model.Tasks.Select(t => t.Name))
        {
            Assert.Equal(onSample.History.Epochs.Select(e => e.ValAp[task]), capped.History.Epochs.Select(e => e.ValAp[task]));
            Assert.NotEqual(onAll.History.Epochs.Select(e => e.ValAp[task]), capped.History.Epochs.Select(e => e.ValAp[task]));
        }
    }

    [Fact]
    public void With_small_blocks_every_row_of_every_source_comes_up_once_before_any_repeats_and_batches_keep_the_shares()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, JointYaml);
        var train = Skewed();
        using var cached = Cache(train, "train");
        // 20 blocks of 50 rows, 3 per buffer: each source's pass reads its blocks in 7 buffers.
        var sampler = OutOfCoreSampler.Create(model, dataset, cached, seed: 3, blockRows: 50, bufferBlocks: 3);
        Assert.Equal(1000, sampler.RowsDrawn);
        var draws = Draws(sampler, 48);
        Assert.All(draws, b => Assert.Equal(32, b.Count(r => train.Source[r] == 1)));
        // 48 x 32 = 1,536 draws of each source: ads (700 rows) twice each then 136 a third time; promotions (300) 5 times, then 36 a sixth.
        TinyData.AssertCycles(draws, train, source: 1, rows: 700, full: 2, extra: 136);
        TinyData.AssertCycles(draws, train, source: 0, rows: 300, full: 5, extra: 36);
        // The first 21 batches (672 ad rows, within the first pass over the 700) repeat no ad row (rows are shuffled
        // within a batch, so the order inside the batch that wraps around is not checked).
        var firstPassOfAds = draws.Take(21).SelectMany(b => b).Where(r => train.Source[r] == 1).ToList();
        Assert.Equal(672, firstPassOfAds.Distinct().Count());
        // Blocks are visited in a shuffled order: the first buffer is not the first three blocks (rows 0-149).
        Assert.True(firstPassOfAds.Take(50).Average() > 100, "the first rows drawn should not all come from the first blocks");
    }

    [Fact]
    public void Natural_sampling_out_of_core_visits_every_row_once_per_epoch_and_ends_the_epoch_with_the_remainder()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, JointYaml.Edit("sampling: { mode: balanced, shares: { promotion: 0.5, ad: 0.5 } }", "sampling: { mode: natural }"));
        var train = Skewed();
        using var cached = Cache(train, "train");
        var sampler = OutOfCoreSampler.Create(model, dataset, cached, seed: 3, blockRows: 64, bufferBlocks: 2);
        var draws = Draws(sampler, 32);
        // 1,000 rows in batches of 64: 15 full batches and one of 40, twice.
        Assert.Equal([.. Enumerable.Repeat(64, 15), 40, .. Enumerable.Repeat(64, 15), 40], draws.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 1000), draws.Take(16).SelectMany(b => b).Order());
        Assert.Equal(Enumerable.Range(0, 1000), draws.Skip(16).SelectMany(b => b).Order());
        Assert.NotEqual(draws[0], draws[16]);
    }

    [Fact]
    public void Downsampling_out_of_core_keeps_exactly_the_rows_the_in_memory_sampler_keeps()
    {
        var dataset = TinyData.Dataset() with { Analysis = new AnalysisSpec(null, null, null, "modality", null) };
        var model = TinyData.Model(dataset, JointYaml.Edit("shares: { promotion: 0.5, ad: 0.5 } }", "shares: { promotion: 0.5, ad: 0.5 }, downsample: [{ source: ad, modality: audio, rate: 0.5 }] }"));
        var train = Skewed();
        using var cached = Cache(train, "train");
        var inMemory = TrainingSampler.Create(model, dataset, train, seed: 3);
        var outOfCore = OutOfCoreSampler.Create(model, dataset, cached, seed: 3, blockRows: 50, bufferBlocks: 3);
        Assert.Equal(inMemory.RowsDrawn, outOfCore.RowsDrawn);
        Assert.Equal(inMemory.Downsampled.Single().RowsKept, outOfCore.Downsampled.Single().RowsKept);
        // Ads kept: the video ones and half the audio ones; 40 batches (1,280 ad draws, more than two passes) draw exactly the kept set.
        int adsKept = outOfCore.RowsDrawn - 300;
        HashSet<int> Ads(ITrainingSampler s) => Draws(s, 40).SelectMany(b => b).Where(r => train.Source[r] == 1).ToHashSet();
        var kept = Ads(inMemory);
        Assert.Equal(adsKept, kept.Count);
        Assert.Equal(kept, Ads(outOfCore));
        Assert.Contains(kept, r => train.AnalysisText["modality"][r] == "audio");
        Assert.True(kept.Count(r => train.AnalysisText["modality"][r] == "audio") < train.Count / 2);
    }

    [Fact]
    public void A_resumed_out_of_core_run_skips_to_the_batches_an_uninterrupted_run_draws()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset, JointYaml);
        using var cached = Cache(Skewed(), "train");
        var straight = Draws(OutOfCoreSampler.Create(model, dataset, cached, seed: 3, blockRows: 50, bufferBlocks: 3), 30);
        var resumed = OutOfCoreSampler.Create(model, dataset, cached, seed: 3, blockRows: 50, bufferBlocks: 3);
        for (int s = 0; s < 20; s++) resumed.Skip();
        Assert.Equal(straight.Skip(20), Draws(resumed, 10));
    }
}
