namespace Crossfeed.Evaluation.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one scalar T per task, p = sigmoid(logit / T), chosen to
/// minimise the (weighted) log loss on validation rows. Weights undo downsampling: a row kept at
/// rate r counts 1 / r, so the fitted probabilities refer to the natural mix.
/// </summary>
public static class TemperatureScaling
{
    public const double MinT = 0.05;
    public const double MaxT = 20;

    /// <summary>The T in [0.05, 20] minimising the weighted NLL (golden-section search on log T; the NLL is unimodal in log T for practical data).</summary>
    public static double Fit(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        var z = logits.ToArray();
        var y = labels.ToArray();
        var w = weights.IsEmpty ? null : weights.ToArray();
        double a = Math.Log(MinT), b = Math.Log(MaxT);
        double gr = (Math.Sqrt(5) - 1) / 2;
        double c = b - gr * (b - a), d = a + gr * (b - a);
        double fc = Nll(z, y, w, Math.Exp(c)), fd = Nll(z, y, w, Math.Exp(d));
        for (int it = 0; it < 80; it++)
        {
            if (fc < fd)
            {
                b = d; d = c; fd = fc;
                c = b - gr * (b - a);
                fc = Nll(z, y, w, Math.Exp(c));
            }
            else
            {
                a = c; c = d; fc = fd;
                d = a + gr * (b - a);
                fd = Nll(z, y, w, Math.Exp(d));
            }
        }
        return Math.Exp((a + b) / 2);
    }

    /// <summary>Weighted mean negative log-likelihood of labels under sigmoid(logit / t); NaN labels skipped.</summary>
    public static double Nll(float[] logits, float[] labels, float[]? weights, double t)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (float.IsNaN(labels[i])) continue;
            var w = weights?[i] ?? 1f;
            var x = logits[i] / t;
            // log(1 + exp(-|x|)) + max(x, 0) - y x  (stable log loss on logits)
            sum += w * (Math.Log(1 + Math.Exp(-Math.Abs(x))) + Math.Max(x, 0) - labels[i] * x);
            total += w;
        }
        return total == 0 ? 0 : sum / total;
    }

    public static float Apply(float logit, double t) => (float)(1 / (1 + Math.Exp(-logit / t)));
}
