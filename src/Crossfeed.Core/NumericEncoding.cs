namespace Crossfeed.Core;

/// <summary>How a numeric feature reaches the model (docs/data.md, "Numeric encodings").</summary>
public enum NumericEncoding { Standardize, QuantileBins, PiecewiseLinear }
