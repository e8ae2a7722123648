namespace Heimdall.Tests.Hardening.Faults;

/// <summary>The fault tests share one real Prometheus and run one after another (each starts its own gateway).</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "Hardening faults";
}
