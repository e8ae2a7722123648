using Heimdall.Core.Policy;
using static Heimdall.Tests.Policy.PolicyFixtures;

namespace Heimdall.Tests.Policy;

public sealed class LocalPolicyEvaluatorTests
{
    private static readonly string[] s_read = ["read"];
    private static readonly string[] s_any = ["*"];

    /// <summary>The cases of <c>opa/heimdall/authz_test.rego</c>, with the same expected decisions.</summary>
    public static TheoryData<string, AccessPolicy[], AuthorizationRequest, string, string> Cases() => new()
    {
        { "allow without filters is unrestricted", [Allow("a", [User("alice")], s_read, ["acme"])], Request("alice", [], ["acme"]), "acme", "allow [[]]" },
        { "filters are sorted", [Allow("a", [User("alice")], s_read, ["acme"], "team=~\"a|b\"", "env=\"prod\"")], Request("alice", [], ["acme"]), "acme", "allow [[env=\"prod\",team=~\"a|b\"]]" },
        { "no policy denies", [], Request("alice", [], ["acme"]), "acme", "deny" },
        { "other user is denied", [Allow("a", [User("alice")], s_read, ["acme"])], Request("bob", [], ["acme"]), "acme", "deny" },
        { "other action is denied", [Allow("a", [User("alice")], s_read, ["acme"])], Request("alice", [], ["acme"], "write"), "acme", "deny" },
        { "other tenant is denied", [Allow("a", [User("alice")], s_read, ["acme"])], Request("alice", [], ["globex"]), "globex", "deny" },
        { "other resource is denied", [Allow("a", [User("alice")], s_read, ["acme"])], Request("alice", [], ["acme"], resource: "logs"), "acme", "deny" },
        { "deny overrides allow", [Allow("a", [User("alice")], s_read, ["acme"]), Deny("d", [Group("contractors")], s_any, ["acme"])], Request("alice", ["contractors"], ["acme"]), "acme", "deny" },
        { "deny of another tenant does not apply", [Allow("a", [User("alice")], s_read, ["*"]), Deny("d", [User("alice")], s_read, ["globex"])], Request("alice", [], ["acme", "globex"]), "acme", "allow [[]]" },
        { "deny of a tenant applies there", [Allow("a", [User("alice")], s_read, ["*"]), Deny("d", [User("alice")], s_read, ["globex"])], Request("alice", [], ["acme", "globex"]), "globex", "deny" },
        { "wildcard deny overrides", [Allow("a", [User("alice")], s_read, ["acme"]), Deny("d", [User("*")], s_read, ["*"])], Request("alice", [], ["acme"]), "acme", "deny" },
        { "wildcard user matches anyone", [Allow("a", [User("*")], s_read, ["acme"], "env=\"prod\"")], Request("zed", [], ["acme"]), "acme", "allow [[env=\"prod\"]]" },
        { "wildcard group matches a caller with a group", [Allow("a", [Group("*")], s_read, ["acme"])], Request("zed", ["any"], ["acme"]), "acme", "allow [[]]" },
        { "wildcard group needs some group", [Allow("a", [Group("*")], s_read, ["acme"])], Request("zed", [], ["acme"]), "acme", "deny" },
        { "group membership grants", [Allow("sre", [Group("sre")], ["read", "write"], ["acme"], "team=\"sre\"")], Request("bob", ["dev", "sre"], ["acme"], "write"), "acme", "allow [[team=\"sre\"]]" },
        { "user id does not match a group subject", [Allow("sre", [Group("sre")], s_read, ["acme"])], Request("sre", [], ["acme"]), "acme", "deny" },
        { "allows are ORed in DNF", [Allow("b", [Group("dev")], s_read, ["acme"], "env=\"dev\""), Allow("a", [User("alice")], s_read, ["acme"], "team=\"a\"", "env=\"prod\"")], Request("alice", ["dev"], ["acme"]), "acme", "allow [[env=\"dev\"],[env=\"prod\",team=\"a\"]]" },
        { "duplicates are removed", [Allow("a", [User("alice")], s_read, ["acme"], "env=\"prod\"", "env=\"prod\""), Allow("b", [Group("sre")], s_read, ["*"], "env=\"prod\"")], Request("alice", ["sre"], ["acme"]), "acme", "allow [[env=\"prod\"]]" },
        { "a prefix alternative sorts first", [Allow("a", [User("alice")], s_read, ["acme"], "a=\"1\"", "b=\"2\""), Allow("b", [User("alice")], s_read, ["acme"], "a=\"1\"")], Request("alice", [], ["acme"]), "acme", "allow [[a=\"1\"],[a=\"1\",b=\"2\"]]" },
        { "unrestricted absorbs filters", [Allow("a", [User("alice")], s_read, ["acme"], "env=\"prod\""), Allow("b", [Group("admins")], s_any, ["*"])], Request("alice", ["admins"], ["acme"]), "acme", "allow [[]]" },
        { "unknown tenant is denied despite wildcards", [Allow("a", [User("*")], s_any, ["*"])], Request("alice", [], ["acme", "nosuch"]), "nosuch", "deny" },
        { "unknown tenant named in a policy is denied", [Allow("a", [User("alice")], s_read, ["nosuch"])], Request("alice", [], ["nosuch"]), "nosuch", "deny" },
        { "empty actions match nothing", [Allow("a", [User("alice")], [], ["*"])], Request("alice", [], ["acme"]), "acme", "deny" },
        { "unknown effect is ignored", [Allow("a", [User("alice")], s_read, ["acme"]) with { Effect = "Allow" }], Request("alice", [], ["acme"]), "acme", "deny" },
        { "literal star action needs a star policy", [Allow("a", [User("alice")], s_read, ["acme"])], Request("alice", [], ["acme"], "*"), "acme", "deny" },
        { "matchers sort by code point", [Allow("a", [User("alice")], s_read, ["acme"], "a=\"\U0001F600\"", "a=\"\uFF21\"")], Request("alice", [], ["acme"]), "acme", "allow [[a=\"\uFF21\",a=\"\U0001F600\"]]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Decides_AsTheRegoPolicy(string name, AccessPolicy[] policies, AuthorizationRequest request, string tenant, string expected)
    {
        var evaluator = new LocalPolicyEvaluator(new InMemoryPolicySnapshotProvider(Snapshot(policies)));

        var result = await evaluator.EvaluateAsync(request);

        Assert.True(result.Succeeded, name);
        Assert.Equal(expected, Show(result.Decisions[tenant]));
    }

    [Fact]
    public async Task DecidesEveryTenant_InOneCall()
    {
        var evaluator = new LocalPolicyEvaluator(new InMemoryPolicySnapshotProvider(
            Snapshot(Allow("a", [User("alice")], s_read, ["acme"], "env=\"prod\""))));

        var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme", "globex", "nosuch"]));

        Assert.Equal(["acme", "globex", "nosuch"], result.Decisions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("allow [[env=\"prod\"]]", Show(result.Decisions["acme"]));
        Assert.Equal("deny", Show(result.Decisions["globex"]));
        Assert.Equal("deny", Show(result.Decisions["nosuch"]));
    }

    [Fact]
    public async Task FollowsTheProvider_WhenPoliciesChange()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot(Allow("a", [User("alice")], s_read, ["acme"])));
        var evaluator = new LocalPolicyEvaluator(provider);
        Assert.True((await evaluator.EvaluateAsync(Request("alice", [], ["acme"]))).Decisions["acme"].Allow);

        provider.Update(Tenants, [Allow("a", [User("alice")], s_read, ["acme"]), Deny("d", [User("alice")], s_read, ["acme"])]);

        Assert.False((await evaluator.EvaluateAsync(Request("alice", [], ["acme"]))).Decisions["acme"].Allow);
    }

    [Fact]
    public async Task AgreesWithTheRegoReference_OnThousandsOfGeneratedInputs()
    {
        var generator = new PolicyGenerator(seed: 20261126);
        var provider = new InMemoryPolicySnapshotProvider();
        var evaluator = new LocalPolicyEvaluator(provider);
        var compared = 0;
        var allowed = 0;
        var restricted = 0;
        for (var set = 0; set < 300; set++)
        {
            var snapshot = generator.NextSnapshot(set + 1);
            provider.Update(snapshot.Tenants, snapshot.Policies);
            for (var i = 0; i < 20; i++)
            {
                var request = generator.NextRequest();
                var result = await evaluator.EvaluateAsync(request);
                Assert.True(result.Succeeded);
                Assert.Equal(request.Tenants.Count, result.Decisions.Count);
                foreach (var tenant in request.Tenants)
                {
                    var expected = Show(RegoReference.Decide(provider.Current, request, tenant));
                    var actual = Show(result.Decisions[tenant]);
                    Assert.True(expected == actual,
                        $"set {set}, request {i}, tenant {tenant}: expected {expected}, got {actual}");
                    compared++;
                    allowed += result.Decisions[tenant].Allow ? 1 : 0;
                    restricted += result.Decisions[tenant] is { Allow: true, IsUnrestricted: false } ? 1 : 0;
                }
            }
        }
        // The generator must exercise both outcomes, not only denials.
        Assert.True(compared > 5000, $"only {compared} decisions compared");
        Assert.True(allowed > compared / 20, $"only {allowed} of {compared} allowed");
        Assert.True(restricted > compared / 50, $"only {restricted} of {compared} restricted");
    }

    [Fact]
    public async Task DecidesConsistently_WhilePoliciesChangeConcurrently()
    {
        var provider = new InMemoryPolicySnapshotProvider(Snapshot(Allow("a", [User("alice")], s_read, ["acme"], "env=\"prod\"")));
        var evaluator = new LocalPolicyEvaluator(provider);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var writer = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                provider.Update(Tenants, [Allow("a", [User("alice")], s_read, ["acme"], i % 2 == 0 ? "env=\"dev\"" : "env=\"prod\"")]);
            }
        });

        var seen = new HashSet<string>();
        while (!stop.IsCancellationRequested)
        {
            var result = await evaluator.EvaluateAsync(Request("alice", [], ["acme"]));
            seen.Add(Show(result.Decisions["acme"]));
        }
        await writer;

        // Every answer is the decision of one whole snapshot, never a mix or a failure.
        Assert.Subset(new HashSet<string> { "allow [[env=\"dev\"]]", "allow [[env=\"prod\"]]" }, seen);
    }
}
