namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>One real pipeline for every adversarial test class (Prometheus and Heimdall start once).</summary>
[CollectionDefinition(Name)]
public sealed class AdversarialCollection : ICollectionFixture<AdversarialFixture>
{
    public const string Name = "Adversarial";
}
