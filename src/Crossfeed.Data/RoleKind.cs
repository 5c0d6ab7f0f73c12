namespace Crossfeed.Data;

internal enum RoleKind { Source, Split, Time, Key, Categorical, CategoricalList, Numeric, Vector, Label, Truth, AnalysisNumber, AnalysisText }
