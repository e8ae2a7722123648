using System.Net;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Npgsql;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// The policy store (a real PostgreSQL database) becomes unavailable: requests keep being answered with the last
/// good policies, <c>/readyz</c> fails; when the store is back, <c>/readyz</c> recovers and policy changes flow again.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class StoreFaultTests(FaultsFixture fixture)
{
    private static readonly TimeSpan s_generous = TimeSpan.FromSeconds(45);

    private static AccessPolicy AliceReads(string env) => new()
    {
        Name = "alice-reads",
        Effect = PolicyEffects.Allow,
        Subjects = [new PolicySubject { Type = "user", Id = "alice" }],
        Actions = [PolicyActions.Read],
        Scope = new PolicyScope { Tenants = ["acme"], Resources = ["metrics"] },
        Filters = [$"env=\"{env}\""],
    };

    [Fact]
    public async Task KeepsServingLastGoodPolicies_AndFailsReadiness_WhenStoreIsDown()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var name = new NpgsqlConnectionStringBuilder(database.Options.Dsn).Database!;
        var store = await database.OpenStoreAsync();
        var applied = await store.ApplyAsync([PolicyChange.CreateTenant(new Tenant { Id = "acme" }), PolicyChange.CreatePolicy(AliceReads("prod"))]);
        Assert.Empty(applied.Errors);

        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, fixture.Acme.Url, new()
        {
            ["database:driver"] = "postgres",
            ["database:dsn"] = database.Options.Dsn,
            ["database:poll_interval"] = "200ms",
        }));
        var token = FaultGateway.Token(key);
        Assert.Equal(HttpStatusCode.OK, await gateway.ReadyAsync());
        (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();

        // The store goes away: no new connection is accepted and every open one (the gateway's pool, its LISTEN) is cut.
        await AdminAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");

        await WaitForAsync(async () => await gateway.ReadyAsync() == HttpStatusCode.ServiceUnavailable, "/readyz to fail");
        for (var i = 0; i < 5; i++)
        {
            (await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time))).AssertOnlyProd();
            var refused = await gateway.SendAsync(gateway.Query(FaultGateway.Token(key, user: "mallory"), "acme", fixture.Time));
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await gateway.ReadyAsync());

        // The store is back: readiness recovers, and a policy change reaches the gateway again.
        await AdminAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS true");
        await WaitForAsync(async () => await gateway.ReadyAsync() == HttpStatusCode.OK, "/readyz to recover");
        await WaitForAsync(async () =>
        {
            try
            {
                return (await store.ApplyAsync([PolicyChange.ReplacePolicy(AliceReads("dev"))])).Errors.Count == 0;
            }
            catch (NpgsqlException)
            {
                return false; // this test's own pooled connection was cut too
            }
        }, "the policy change to be written");
        await WaitForAsync(async () =>
        {
            var answer = await gateway.SendAsync(gateway.Query(token, "acme", fixture.Time));
            return answer.Status == HttpStatusCode.OK && answer.Series.Count > 0 && answer.Series.All(s => s["env"] == "dev");
        }, "the new policy to be served");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.PostgresAdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_generous;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
