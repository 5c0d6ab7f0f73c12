namespace Crossfeed.Core;

public enum NumericTransform { None, Log1p }
