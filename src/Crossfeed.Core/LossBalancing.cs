namespace Crossfeed.Core;

public enum LossBalancing { Fixed, Uncertainty, GradNorm, PcGrad }
