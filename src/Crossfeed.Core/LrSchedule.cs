namespace Crossfeed.Core;

public enum LrSchedule { Constant, Cosine, Step }
