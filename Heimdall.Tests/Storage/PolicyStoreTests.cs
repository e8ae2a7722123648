using System.Diagnostics;
using System.Text.Json;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Npgsql;
using Xunit.Abstractions;

namespace Heimdall.Tests.Storage;

/// <summary>One suite, run against a real SQLite file and a real PostgreSQL database (a fresh one per test).</summary>
public sealed class PolicyStoreTests(ITestOutputHelper output)
{
    private const string ReadmePolicy = """
        {"name": "allow-alice-read-acme", "effect": "allow",
         "subjects": [{"type": "user", "id": "alice@acme.com"}, {"type": "group", "id": "sre"}],
         "actions": ["read"], "scope": {"tenants": ["acme"], "resources": ["metrics"]},
         "filters": ["env=\"prod\"", "team=~\"a|b\""]}
        """;

    internal static AccessPolicy Allow(string name, string tenant, params string[] filters) => new()
    {
        Name = name,
        Effect = PolicyEffects.Allow,
        Subjects = [new PolicySubject { Type = PolicySubjectTypes.Group, Id = "sre" }],
        Actions = [PolicyActions.Read],
        Scope = new PolicyScope { Tenants = [tenant], Resources = [PolicyResources.Metrics] },
        Filters = filters,
    };

    private static string Json(object value) => JsonSerializer.Serialize(value);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Migrates_Idempotently_ToAnEmptyStore(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        var version = await store.MigrateAsync();
        Assert.Equal(version, await store.MigrateAsync());
        Assert.Equal(0, await store.GetRevisionAsync());
        var snapshot = await store.LoadSnapshotAsync();
        Assert.Empty(snapshot.Tenants);
        Assert.Empty(snapshot.Policies);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RoundTrips_TheReadmePolicy_Unchanged(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        var (doc, errors) = PolicyDocumentReader.Read(ReadmePolicy);
        Assert.Empty(errors);
        var policy = Assert.Single(doc!.Policies);

        var result = await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme", Name = "Acme Corp" }), PolicyChange.CreatePolicy(policy)]);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(1, result.Revision);
        var snapshot = await store.LoadSnapshotAsync();
        Assert.Equal(1, snapshot.Revision);
        Assert.Equal(Json(policy), Json(Assert.Single(snapshot.Policies)));
        Assert.Equal(Json(policy), Json((await store.GetPolicyAsync("allow-alice-read-acme"))!));
        Assert.Equal("Acme Corp", (await store.GetTenantAsync("acme"))!.Name);
        Assert.Null(await store.GetPolicyAsync("nope"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RejectsWholeBatch_WhenOnePolicyIsInvalid(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        var bad = Allow("bad", "acme", "env=prod") with { Effect = "permit" };

        var result = await store.ApplyAsync([
            PolicyChange.CreateTenant(new Tenant { Id = "acme" }),
            PolicyChange.CreatePolicy(Allow("good-1", "acme")),
            PolicyChange.CreatePolicy(bad),
            PolicyChange.CreatePolicy(Allow("good-2", "acme")),
        ]);

        Assert.Equal(PolicyStoreStatus.Invalid, result.Status);
        Assert.Contains(result.Errors, e => e.Policy == "bad" && e.Field == "effect");
        Assert.Contains(result.Errors, e => e.Policy == "bad" && e.Field == "filters[0]");
        Assert.Equal(0, await store.GetRevisionAsync());
        var snapshot = await store.LoadSnapshotAsync();
        Assert.Empty(snapshot.Tenants);
        Assert.Empty(snapshot.Policies);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Conflicts_OnDuplicateNames_AndWritesNothing(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        Assert.True((await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" }), PolicyChange.CreatePolicy(Allow("p", "acme"))])).Succeeded);

        var again = await store.ApplyAsync([PolicyChange.CreatePolicy(Allow("q", "acme")), PolicyChange.CreatePolicy(Allow("p", "acme"))]);
        var tenantAgain = await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" })]);

        Assert.Equal(PolicyStoreStatus.Conflict, again.Status);
        Assert.Contains(again.Errors, e => e.Policy == "p" && e.Field == "name");
        Assert.Equal(PolicyStoreStatus.Conflict, tenantAgain.Status);
        Assert.Null(await store.GetPolicyAsync("q"));
        Assert.Equal(1, await store.GetRevisionAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task EnforcesForeignKeys_BetweenPoliciesAndTenants(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();

        var unknown = await store.ApplyAsync([PolicyChange.CreatePolicy(Allow("p", "globex"))]);
        Assert.Equal(PolicyStoreStatus.Invalid, unknown.Status);
        Assert.Contains(unknown.Errors, e => e.Policy == "p" && e.Field == "scope.tenants[0]" && e.Message.Contains("does not exist"));

        Assert.True((await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "globex" }), PolicyChange.CreatePolicy(Allow("p", "globex"))])).Succeeded);
        var inUse = await store.ApplyAsync([PolicyChange.DeleteTenant("globex")]);
        Assert.Equal(PolicyStoreStatus.Conflict, inUse.Status);
        Assert.Contains("p", inUse.Errors[0].Message);

        Assert.True((await store.ApplyAsync([PolicyChange.DeletePolicy("p"), PolicyChange.DeleteTenant("globex")])).Succeeded);
        Assert.Empty((await store.LoadSnapshotAsync()).Tenants);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ReportsNotFound_ForMissingTenantsAndPolicies(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        Assert.Equal(PolicyStoreStatus.NotFound, (await store.ApplyAsync([PolicyChange.DeletePolicy("nope")])).Status);
        Assert.Equal(PolicyStoreStatus.NotFound, (await store.ApplyAsync([PolicyChange.DeleteTenant("nope")])).Status);
        Assert.Equal(PolicyStoreStatus.NotFound, (await store.ApplyAsync([PolicyChange.ReplaceTenant(new Tenant { Id = "nope" })])).Status);
        Assert.Equal(PolicyStoreStatus.NotFound, (await store.ApplyAsync([PolicyChange.ReplacePolicy(Allow("nope", "*"))])).Status);
        Assert.Equal(0, await store.GetRevisionAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ReplacesAndUpserts_WithBeforeAndAfter(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "a" }), PolicyChange.CreateTenant(new Tenant { Id = "b" }), PolicyChange.CreatePolicy(Allow("p", "a", "env=\"prod\""))]);

        var replaced = await store.ApplyAsync([PolicyChange.ReplacePolicy(Allow("p", "b", "env=\"dev\""))]);

        Assert.True(replaced.Succeeded);
        var change = Assert.Single(replaced.Changes);
        Assert.Equal("env=\"prod\"", Assert.Single(((AccessPolicy)change.Before!).Filters));
        Assert.Equal("env=\"dev\"", Assert.Single(((AccessPolicy)change.After!).Filters));
        // The policy now names b, not a: a can be deleted, b cannot.
        Assert.True((await store.ApplyAsync([PolicyChange.DeleteTenant("a")])).Succeeded);
        Assert.Equal(PolicyStoreStatus.Conflict, (await store.ApplyAsync([PolicyChange.DeleteTenant("b")])).Status);
        Assert.True((await store.ApplyAsync([PolicyChange.UpsertPolicy(Allow("p", "*")), PolicyChange.UpsertTenant(new Tenant { Id = "b", Name = "Bee" })])).Succeeded);
        Assert.Equal("Bee", (await store.GetTenantAsync("b"))!.Name);
        Assert.Equal(4, await store.GetRevisionAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ReplaceAll_MakesTheStoreEqualToTheDocument(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = await db.OpenStoreAsync();
        await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "old" }), PolicyChange.CreatePolicy(Allow("old-p", "old"))]);
        var doc = new PolicyDocument
        {
            Tenants = [new Tenant { Id = "zeta" }, new Tenant { Id = "acme" }],
            Policies = [Allow("z", "zeta"), Allow("a", "acme"), Allow("B", "*")],
        };

        Assert.True((await store.ApplyAsync([PolicyChange.ReplaceAll(doc)])).Succeeded);

        var snapshot = await store.LoadSnapshotAsync();
        Assert.Equal(["acme", "zeta"], snapshot.Tenants.Select(t => t.Id));
        Assert.Equal(["B", "a", "z"], snapshot.Policies.Select(p => p.Name)); // ordinal order, the same on every store
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task WritesNothing_WhenTheBatchCrashesMidway(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var store = (SqlPolicyStore)await db.OpenStoreAsync();
        await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" })]);
        var before = Json(await store.LoadSnapshotAsync());
        var batch = Enumerable.Range(0, 20).Select(i => PolicyChange.CreatePolicy(Allow($"p{i}", "acme"))).ToList();
        store.FaultInjector = (n, _) => n == 25 ? throw new IOException("injected crash after statement 25") : ValueTask.CompletedTask;

        await Assert.ThrowsAsync<IOException>(() => store.ApplyAsync(batch));

        store.FaultInjector = null;
        Assert.Equal(before, Json(await store.LoadSnapshotAsync()));
        Assert.Equal(1, await store.GetRevisionAsync());
        Assert.True((await store.ApplyAsync(batch)).Succeeded);
        Assert.Equal(20, (await store.LoadSnapshotAsync()).Policies.Count);
    }

    [Fact]
    public async Task WritesNothing_WhenThePostgresConnectionDiesMidBatch()
    {
        await using var db = await TestDatabase.CreateAsync("postgres");
        await using var store = (SqlPolicyStore)await db.OpenStoreAsync();
        await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" })]);
        var batch = Enumerable.Range(0, 20).Select(i => PolicyChange.CreatePolicy(Allow($"p{i}", "acme"))).ToList();
        store.FaultInjector = async (n, ct) =>
        {
            if (n != 15)
            {
                return;
            }
            // Kill the server process of the writing connection while its transaction is open.
            await using var admin = new NpgsqlConnection(db.Options.Dsn);
            await admin.OpenAsync(ct);
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync(ct));
        };

        await Assert.ThrowsAnyAsync<Exception>(() => store.ApplyAsync(batch));

        store.FaultInjector = null;
        await using var fresh = await db.OpenStoreAsync();
        Assert.Equal(1, await fresh.GetRevisionAsync());
        Assert.Empty((await fresh.LoadSnapshotAsync()).Policies);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SerializesConcurrentWriters_WithGapFreeRevisions(string kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using (var setup = await db.OpenStoreAsync())
        {
            await setup.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" })]);
        }
        const int writers = 6, batchesEach = 5;
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var store = PolicyStores.Create(db.Options);
            var mine = new List<PolicyStoreResult>();
            for (var b = 0; b < batchesEach; b++)
            {
                mine.Add(await store.ApplyAsync([PolicyChange.CreatePolicy(Allow($"w{w}-b{b}", "acme")), PolicyChange.CreatePolicy(Allow($"w{w}-b{b}-x", "acme"))]));
            }
            // Every writer races for the same name: exactly one may win.
            mine.Add(await store.ApplyAsync([PolicyChange.CreatePolicy(Allow("contested", "acme"))]));
            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(writers * batchesEach, all.Count(r => r.Succeeded && r.Changes.Count == 2));
        Assert.Equal(1, all.Count(r => r.Succeeded && r.Changes.Count == 1));
        Assert.Equal(writers - 1, all.Count(r => r.Status == PolicyStoreStatus.Conflict));
        var revisions = all.Where(r => r.Succeeded).Select(r => r.Revision).Order().ToList();
        Assert.Equal(Enumerable.Range(2, writers * batchesEach + 1).Select(i => (long)i), revisions);
        await using var check = await db.OpenStoreAsync();
        var snapshot = await check.LoadSnapshotAsync();
        Assert.Equal(writers * batchesEach * 2 + 1, snapshot.Policies.Count);
        Assert.Equal(revisions[^1], snapshot.Revision);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task PropagatesChanges_ToEveryReplica(string kind)
    {
        // Two replicas: two stores and two snapshot providers on one database. A change through either is
        // seen by both (PostgreSQL: LISTEN/NOTIFY; SQLite: polling), and both hold identical snapshots.
        await using var db = await TestDatabase.CreateAsync(kind, pollInterval: TimeSpan.FromSeconds(1));
        await using var storeA = await db.OpenStoreAsync();
        await using var storeB = await db.OpenStoreAsync();
        await using var replicaA = await StorePolicySnapshotProvider.StartAsync(storeA, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using var replicaB = await StorePolicySnapshotProvider.StartAsync(storeB, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        for (var round = 0; round < 3; round++)
        {
            var writer = round % 2 == 0 ? storeA : storeB;
            var changed = replicaB.Watch();
            var sw = Stopwatch.StartNew();
            var result = await writer.ApplyAsync(round == 0
                ? [PolicyChange.CreateTenant(new Tenant { Id = "acme" }), PolicyChange.CreatePolicy(Allow("p0", "acme"))]
                : [PolicyChange.CreatePolicy(Allow($"p{round}", "acme", $"env=\"r{round}\""))]);
            Assert.True(result.Succeeded);

            await WaitForAsync(() => replicaA.Current.Revision == result.Revision && replicaB.Current.Revision == result.Revision);
            output.WriteLine($"{kind}: revision {result.Revision} on both replicas after {sw.ElapsedMilliseconds} ms");
            Assert.True(changed.HasChanged);
            Assert.Equal(Json(replicaA.Current), Json(replicaB.Current));
            Assert.Equal(round + 1, replicaB.Current.Policies.Count);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the change did not arrive within 30 s");
            await Task.Delay(20);
        }
    }
}
