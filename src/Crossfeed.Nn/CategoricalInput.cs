using Crossfeed.Core;

namespace Crossfeed.Nn;

/// <summary>A categorical feature reading one table; lists are pooled.</summary>
public sealed record CategoricalInput(string Feature, int Table, bool IsList, Pooling Pooling, FeatureGroup Group);
