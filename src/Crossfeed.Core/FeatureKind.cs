namespace Crossfeed.Core;

public enum FeatureKind { Categorical, CategoricalList, Numeric, Vector }
