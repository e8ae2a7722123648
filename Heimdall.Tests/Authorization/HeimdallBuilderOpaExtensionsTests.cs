using Heimdall.AspNetCore.DependencyInjection;
using Heimdall.Core.Policy;
using Microsoft.Extensions.DependencyInjection;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Authorization;

public sealed class HeimdallBuilderOpaExtensionsTests
{
    [Fact]
    public async Task ReplacesTheBuiltInEvaluator_WithOpa()
    {
        var services = new ServiceCollection()
            .AddSingleton<IPolicySnapshotProvider>(new InMemoryPolicySnapshotProvider(Snapshot()))
            .AddHeimdallPolicyEvaluator();

        new HeimdallBuilder(services).UseOpa(new OpaOptions { Url = new Uri("http://127.0.0.1:8181") }, new DecisionCacheOptions { MaxEntries = 0 });
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<OpaPolicyEvaluator>(provider.GetRequiredService<IPolicyEvaluator>());
    }

    [Fact]
    public void RefusesOptions_WithoutAUrl()
    {
        var builder = new HeimdallBuilder(new ServiceCollection());

        var error = Assert.Throws<ArgumentException>(() => builder.UseOpa(new OpaOptions()));

        Assert.Contains("opa.url", error.Message);
    }
}
