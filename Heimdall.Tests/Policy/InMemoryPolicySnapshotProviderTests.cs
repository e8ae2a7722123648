using Heimdall.Core.Policy;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Policy;

public sealed class InMemoryPolicySnapshotProviderTests
{
    [Fact]
    public void StartsEmpty_AtRevisionZero()
    {
        var provider = new InMemoryPolicySnapshotProvider();

        Assert.Equal(0, provider.Current.Revision);
        Assert.Empty(provider.Current.Policies);
    }

    [Fact]
    public void Update_SortsAndBumpsTheRevisionAndFiresTheToken()
    {
        var provider = new InMemoryPolicySnapshotProvider();
        var token = provider.Watch();
        var fired = 0;
        token.RegisterChangeCallback(_ => fired++, null);

        var snapshot = provider.Update([Tenants[2], Tenants[0]], [Allow("b", [], [], []), Allow("a", [], [], [])]);

        Assert.True(token.HasChanged);
        Assert.Equal(1, fired);
        Assert.Same(snapshot, provider.Current);
        Assert.Equal(1, snapshot.Revision);
        Assert.Equal(["acme", "initech"], snapshot.Tenants.Select(t => t.Id));
        Assert.Equal(["a", "b"], snapshot.Policies.Select(p => p.Name));
        Assert.False(provider.Watch().HasChanged);
    }
}
