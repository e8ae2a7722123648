using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Policy;

public sealed class CachingPolicyEvaluatorTests
{
    private static readonly string[] s_read = ["read"];

    [Fact]
    public async Task ServesFromCache_ForTheSameQuestion()
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());

        var first = await cache.EvaluateAsync(Request("alice", ["sre"], ["acme", "globex"]));
        var second = await cache.EvaluateAsync(Request("alice", ["sre"], ["acme", "globex"]));

        Assert.Equal(1, inner.Calls);
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("bob", "sre", "acme", "read", "metrics")]
    [InlineData("alice", "dev", "acme", "read", "metrics")]
    [InlineData("alice", "sre", "globex", "read", "metrics")]
    [InlineData("alice", "sre", "acme", "write", "metrics")]
    [InlineData("alice", "sre", "acme", "read", "logs")]
    public async Task AsksAgain_WhenAnyPartOfTheKeyDiffers(string user, string group, string tenant, string action, string resource)
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());
        await cache.EvaluateAsync(Request("alice", ["sre"], ["acme"]));

        await cache.EvaluateAsync(Request(user, [group], [tenant], action, resource));

        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task DropsEverything_WhenTheRevisionChanges()
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());
        Assert.True((await cache.EvaluateAsync(Request("alice", [], ["acme"]))).Decisions["acme"].Allow);
        await cache.EvaluateAsync(Request("bob", [], ["acme"]));
        Assert.Equal(2, cache.Count);

        provider.Update(Tenants, [Deny("d", [User("alice")], s_read, ["acme"])]);
        var after = await cache.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(after.Decisions["acme"].Allow);
        Assert.Equal(3, inner.Calls);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task NeverCachesFailures()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot());
        var inner = new CountingEvaluator(_ => AuthorizationResult.Unavailable("down"));
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());

        await cache.EvaluateAsync(Request("alice", [], ["acme"]));
        var second = await cache.EvaluateAsync(Request("alice", [], ["acme"]));

        Assert.False(second.Succeeded);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task StaysBounded_WhenFull()
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions { MaxEntries = 10 });

        for (var i = 0; i < 95; i++)
        {
            await cache.EvaluateAsync(Request("user" + i, [], ["acme"]));
            Assert.InRange(cache.Count, 1, 10);
        }
    }

    [Fact]
    public async Task Expires_AfterTheTimeToLive()
    {
        var (provider, inner) = Setup();
        var clock = new ManualClock();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions { TimeToLive = TimeSpan.FromSeconds(30) }, clock);
        await cache.EvaluateAsync(Request("alice", [], ["acme"]));

        clock.Advance(TimeSpan.FromSeconds(29));
        await cache.EvaluateAsync(Request("alice", [], ["acme"]));
        Assert.Equal(1, inner.Calls);

        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.EvaluateAsync(Request("alice", [], ["acme"]));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task CountsHitsAndMisses()
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());
        var (hits, misses) = (MeterReader.Read(MetricNames.TenantCacheHits), MeterReader.Read(MetricNames.TenantCacheMisses));

        await cache.EvaluateAsync(Request("metrics-user", [], ["acme"]));
        await cache.EvaluateAsync(Request("metrics-user", [], ["acme"]));
        await cache.EvaluateAsync(Request("metrics-user", [], ["acme"]));

        // Other tests run in parallel and may add to both: at least this cache's own hits and miss were counted.
        Assert.True(MeterReader.Read(MetricNames.TenantCacheHits) >= hits + 2, "hits not counted");
        Assert.True(MeterReader.Read(MetricNames.TenantCacheMisses) >= misses + 1, "miss not counted");
    }

    [Fact]
    public async Task KeepsItsOwnCopy_OfTheRequestLists()
    {
        var (provider, inner) = Setup();
        var cache = new CachingPolicyEvaluator(inner, provider, new DecisionCacheOptions());
        var tenants = new List<string> { "acme" };
        await cache.EvaluateAsync(new AuthorizationRequest { User = "alice", Tenants = tenants, Action = "read" });

        tenants[0] = "globex";
        var result = await cache.EvaluateAsync(new AuthorizationRequest { User = "alice", Tenants = tenants, Action = "read" });

        Assert.Equal(2, inner.Calls);
        Assert.True(result.Decisions.ContainsKey("globex"));
    }

    private static (InMemoryPolicySnapshotProvider Provider, CountingEvaluator Inner) Setup()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot(Allow("a", [User("alice")], s_read, ["acme"])));
        var local = new LocalPolicyEvaluator(provider);
        return (provider, new CountingEvaluator(r => local.EvaluateAsync(r).AsTask().Result));
    }

    private sealed class CountingEvaluator(Func<AuthorizationRequest, AuthorizationResult> decide) : IPolicyEvaluator
    {
        private int _calls;

        public int Calls => _calls;

        public ValueTask<AuthorizationResult> EvaluateAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return new ValueTask<AuthorizationResult>(decide(request));
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
