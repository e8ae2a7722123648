using Heimdall.Core.Policy;
using Microsoft.Extensions.DependencyInjection;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Policy;

public sealed class HeimdallPolicyServiceCollectionExtensionsTests
{
    [Fact]
    public async Task RegistersTheCachedLocalEvaluator_WithoutAnOpaUrl()
    {
        await using var services = Build(new ServiceCollection().AddHeimdallPolicyEvaluator());

        var evaluator = services.GetRequiredService<IPolicyEvaluator>();

        Assert.IsType<CachingPolicyEvaluator>(evaluator);
        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));
        Assert.True(result.Decisions["acme"].IsUnrestricted);
    }

    [Fact]
    public async Task RegistersTheLocalEvaluatorAlone_WhenTheCacheIsOff()
    {
        await using var services = Build(new ServiceCollection().AddHeimdallPolicyEvaluator(cache: new DecisionCacheOptions { MaxEntries = 0 }));

        Assert.IsType<LocalPolicyEvaluator>(services.GetRequiredService<IPolicyEvaluator>());
    }

    [Fact]
    public async Task RegistersTheOpaEvaluator_WithAnOpaUrl()
    {
        await using var services = Build(new ServiceCollection().AddHeimdallPolicyEvaluator(
            new OpaOptions { Url = new Uri("http://127.0.0.1:8181") }, new DecisionCacheOptions { MaxEntries = 0 }));

        Assert.IsType<OpaPolicyEvaluator>(services.GetRequiredService<IPolicyEvaluator>());
    }

    [Fact]
    public async Task KeepsAnEvaluatorRegisteredBefore()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IPolicyEvaluator, LocalPolicyEvaluator>();
        await using var services = Build(collection.AddHeimdallPolicyEvaluator());

        Assert.IsType<LocalPolicyEvaluator>(services.GetRequiredService<IPolicyEvaluator>());
    }

    private static ServiceProvider Build(IServiceCollection services) => services
        .AddSingleton<IPolicySnapshotProvider>(new InMemoryPolicySnapshotProvider(Snapshot(Allow("a", [User("alice")], ["read"], ["acme"]))))
        .BuildServiceProvider();
}
