namespace Crossfeed.Data;

public enum LoadPhase { Schema, Quantiles, Fit, Encode }
