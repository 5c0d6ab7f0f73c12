using Crossfeed.Core;
using Crossfeed.Nn;
using TorchSharp;

namespace Crossfeed.Training.Tests;

/// <summary>A non-finite loss stops training before the step is applied and keeps the last good checkpoint.</summary>
public sealed class TrainerDivergenceTests
{
    [Fact]
    public void A_nan_weight_stops_training_at_the_next_step_naming_step_epoch_and_task_and_the_checkpoint_before_it_resumes()
    {
        var dataset = TinyData.Dataset();
        var model = TinyData.Model(dataset); // checkpoint_every: 5, the first task promo_stream
        var (train, val) = (TinyData.Split(1000, seed: 1), TinyData.Split(200, seed: 2, name: SplitName.Val));
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-diverge-{Guid.NewGuid():N}");
        try
        {
            // After step 7 a tower weight turns NaN (what a huge learning rate does); step 8's loss is then NaN.
            MultiTaskModel? net = null;
            var options = new TrainOptions(dir, Initialize: n => net = n, AfterStep: (step, _) =>
            {
                if (step != 7) return;
                using var noGrad = torch.no_grad();
                net!.TaskModules(0)[0].parameters().First().fill_(float.NaN);
            });
            var e = Assert.Throws<RunFailedException>(() => Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), options));
            Assert.StartsWith("training stopped at step 8 (epoch 1): task 'promo_stream' has a non-finite loss (NaN)", e.Message, StringComparison.Ordinal);
            Assert.Contains($"the last good checkpoint (step 5) is kept in {dir}", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);

            // The checkpoint is the one before the NaN: resuming from it trains to the end with finite losses.
            using var resumed = Trainer.Fit(model, dataset, train, val, TinyData.Preprocessor(dataset), new TrainOptions(dir, Resume: true));
            Assert.True(resumed.History.Completed);
            Assert.All(resumed.History.Epochs, r => Assert.True(r.TrainLoss is { } l && double.IsFinite(l), $"epoch {r.Epoch} loss {r.TrainLoss}"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
