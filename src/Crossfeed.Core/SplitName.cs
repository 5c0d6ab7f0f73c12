namespace Crossfeed.Core;

public enum SplitName { Train, Val, Test }
