namespace Crossfeed.Core;

public enum SamplingMode { Balanced, Natural }
