namespace Crossfeed.Core;

public enum Pooling { Mean, Sum }
