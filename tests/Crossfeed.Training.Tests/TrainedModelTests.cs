using Crossfeed.Core;

namespace Crossfeed.Training.Tests;

public class TrainedModelTests
{
    [Fact]
    public void Predict_applies_the_bundles_temperatures_to_the_logits()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"crossfeed-trained-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "dataset.yaml"), TinyData.DatasetYaml); // a bundle copies its dataset YAML
            var dataset = DatasetConfigLoader.Load(Path.Combine(dir, "dataset.yaml"));
            var model = TinyData.Model(dataset);
            var val = TinyData.Split(300, seed: 2, name: SplitName.Val);
            var bundle = Path.Combine(dir, "bundle");
            using (var trained = Trainer.Fit(model, dataset, TinyData.Split(640, seed: 1), val, TinyData.Preprocessor(dataset), new TrainOptions()))
                Bundle.Save(bundle, trained);
            var temperatures = new[] { 2.5f, 0.4f, 1.7f };
            Bundle.WriteCalibration(bundle, temperatures);
            using var loaded = Bundle.Load(bundle);

            var logits = loaded.PredictLogits(val);
            var probs = loaded.Predict(val);
            Assert.Equal(temperatures, loaded.Temperatures);
            for (int k = 0; k < temperatures.Length; k++)
            {
                Assert.Contains(logits[k], z => Math.Abs(z) > 0.05); // a zero logit would hide the temperature
                for (int i = 0; i < val.Count; i++)
                    Assert.Equal(1.0 / (1.0 + Math.Exp(-(double)logits[k][i] / temperatures[k])), probs[k][i], 1e-6);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
