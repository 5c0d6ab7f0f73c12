using Crossfeed.Core;

namespace Crossfeed.Nn;

/// <summary>
/// A numeric (Width 1) or vector feature, copied into the dense block at Offset. With Projection &gt; 0 it is a
/// piecewise_linear feature: Width values of its encoding, mapped by a linear layer to Projection values.
/// </summary>
public sealed record DenseInput(string Feature, int Offset, int Width, FeatureGroup Group, int Projection = 0);
