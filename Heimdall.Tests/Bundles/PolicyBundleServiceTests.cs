using System.Diagnostics.Metrics;
using Heimdall.Core.Bundles;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Bundles;

public sealed class PolicyBundleServiceTests
{
    [Fact]
    public void BuildsTheCurrentSnapshot_AtStart()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot(Allow("a", [User("alice")], ["read"], ["acme"])));
        using var service = new PolicyBundleService(provider, NullLogger<PolicyBundleService>.Instance);

        Assert.Equal(BundleBuilder.Build(provider.Current).Content.ToArray(), service.Current.Content.ToArray());
    }

    [Fact]
    public async Task Rebuilds_OnEveryChange()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot());
        using var service = new PolicyBundleService(provider, NullLogger<PolicyBundleService>.Instance);
        var before = service.Current;

        var waiting = service.WaitForChangeAsync(before.ETag, TimeSpan.FromSeconds(60), CancellationToken.None);
        provider.Update(Tenants, [Allow("a", [User("alice")], ["read"], ["acme"])]);
        var after = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(before.ETag, after.ETag);
        Assert.Equal(BundleBuilder.Build(provider.Current).Revision, after.Revision);
        Assert.Equal(provider.Current.Revision, service.Current.SnapshotRevision);
    }

    [Fact]
    public async Task ReturnsTheSameBundle_WhenNothingChangesWithinTheWait()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot());
        using var service = new PolicyBundleService(provider, NullLogger<PolicyBundleService>.Instance);

        var result = await service.WaitForChangeAsync(service.Current.ETag, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Same(service.Current, result);
    }

    [Fact]
    public async Task ReturnsAtOnce_WhenTheCallerHasAnOlderETag()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot());
        using var service = new PolicyBundleService(provider, NullLogger<PolicyBundleService>.Instance);

        var result = await service.WaitForChangeAsync("\"old\"", TimeSpan.FromMinutes(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(service.Current, result);
    }

    [Fact]
    public async Task CountsRebuilds()
    {
        var start = MeterReader.Read(MetricNames.BundleRebuilds);
        var provider = new InMemoryPolicySnapshotProvider(Snapshot());
        using var service = new PolicyBundleService(provider, NullLogger<PolicyBundleService>.Instance);
        var before = MeterReader.Read(MetricNames.BundleRebuilds);

        var waiting = service.WaitForChangeAsync(service.Current.ETag, TimeSpan.FromSeconds(60), CancellationToken.None);
        provider.Update(Tenants, [Allow("a", [User("alice")], ["read"], ["acme"])]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        // Other tests build bundles in parallel: at least the start and this change were counted.
        Assert.True(before >= start + 1, $"start not counted ({start} → {before})");
        Assert.True(MeterReader.Read(MetricNames.BundleRebuilds) > before, "rebuild not counted");
    }
}
