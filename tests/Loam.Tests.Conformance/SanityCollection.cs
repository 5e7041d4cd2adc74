namespace Loam.Tests.Conformance;

/// <summary>All sanity specs share one driver and run one at a time, as csi-sanity does.</summary>
[CollectionDefinition(Name)]
public sealed class SanityCollection : ICollectionFixture<SanityDriver>
{
    public const string Name = "sanity";
}
