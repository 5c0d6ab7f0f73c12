namespace Crossfeed.Serving.Tests;

/// <summary>Test classes that share the one trained bundle.</summary>
[CollectionDefinition(Name)]
public sealed class ServeBundleCollection : ICollectionFixture<ServeBundleFixture>
{
    public const string Name = "trained bundle";
}
