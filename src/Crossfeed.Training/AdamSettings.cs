using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>Adam hyper-parameters shared by the dense and the row-wise optimiser.</summary>
public sealed record AdamSettings(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0)
{
    /// <summary>
    /// One Adam update (Kingma and Ba; decoupled weight decay when set) of <paramref name="p"/> in place,
    /// with step number t (1-based). Works on whole parameters and on gathered table rows alike.
    /// </summary>
    public void Update(Tensor p, Tensor g, Tensor m, Tensor v, double lr, long t)
    {
        double bc1 = 1 - Math.Pow(Beta1, t), bc2 = 1 - Math.Pow(Beta2, t);
        if (WeightDecay > 0) p.mul_(1 - lr * WeightDecay);
        m.mul_(Beta1).add_(g, alpha: 1 - Beta1);
        v.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
        using var denom = v.sqrt().div_(Math.Sqrt(bc2)).add_(Eps);
        p.addcdiv_(m, denom, value: -lr / bc1);
    }
}
