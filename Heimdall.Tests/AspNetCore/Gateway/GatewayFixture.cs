using System.Globalization;
using System.Text;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// Real Prometheus servers and three gateways: (a) <c>fanout</c> with one Prometheus per tenant (acme, globex);
/// (b) <c>native</c> in front of one Prometheus holding both tenants' data labelled with <c>__tenant_id__</c>,
/// standing for Mimir's federated view (valid for two or more tenants, where Mimir federates); (c) <c>real</c>, the
/// fan-out of (a) on the real identity path: RS256 tokens checked against a loopback JWKS, policies in a SQLite
/// store, the built-in evaluator behind the decision cache. (a) and (b) use the stand-ins of <see cref="GatewayHost.StartAsync"/>.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string Issuer = "https://idp.heimdall.test/";
    public const string Audience = "heimdall";

    private JwksServer _jwks = null!;
    private string _directory = null!;

    internal GatewayHost Real { get; private set; } = null!;

    /// <summary>The SQLite store the real host reads (tests change policies through it).</summary>
    internal IPolicyStore Store { get; private set; } = null!;

    internal FederationPrometheus Acme { get; private set; } = null!;
    internal FederationPrometheus Globex { get; private set; } = null!;
    internal FederationPrometheus Federated { get; private set; } = null!;
    internal GatewayHost Fanout { get; private set; } = null!;
    internal GatewayHost Native { get; private set; } = null!;

    /// <summary>An evaluation time inside the backfilled data.</summary>
    public long Time { get; private set; }

    public long Start { get; private set; }

    public async Task InitializeAsync()
    {
        Start = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 60 * 60;
        Time = Start + 300;
        var acme = Data(Start, ("acme", false));
        var globex = Data(Start, ("globex", false));
        var both = Data(Start, ("acme", true), ("globex", true));
        var servers = await Task.WhenAll(FederationPrometheus.StartAsync(acme), FederationPrometheus.StartAsync(globex), FederationPrometheus.StartAsync(both));
        (Acme, Globex, Federated) = (servers[0], servers[1], servers[2]);

        Fanout = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9/prometheus",
            ["mimir:tenant_urls:acme"] = Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = Globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["federation:max_tenants"] = "3",
            ["limits:max_body_bytes"] = "2048",
        });
        Native = await GatewayHost.StartAsync(new()
        {
            ["mimir:url"] = Federated.Url.ToString(),
            ["federation:strategy"] = "native",
        });
        foreach (var host in (GatewayHost[])[Fanout, Native])
        {
            var prod = new TenantDecision { Allow = true, Filters = [["env=\"prod\""]] };
            var table = host.Policy.Table;
            table[("alice", PolicyActions.Read)] = new() { ["acme"] = prod, ["globex"] = prod };
            table[("bob", PolicyActions.Read)] = new() { ["acme"] = TenantDecision.Unrestricted };
            table[("alice", PolicyActions.RulesRead)] = new() { ["acme"] = prod, ["globex"] = prod };
        }
        await StartRealAsync();
    }

    private async Task StartRealAsync()
    {
        _directory = Directory.CreateTempSubdirectory("heimdall-gateway-real-").FullName;
        var database = Path.Combine(_directory, "heimdall.db");
        Store = PolicyStores.Create(new PolicyStoreOptions { Driver = "sqlite", Dsn = database });
        await Store.MigrateAsync();
        var applied = await Store.ApplyAsync(
        [
            PolicyChange.CreateTenant(new Tenant { Id = "acme" }),
            PolicyChange.CreateTenant(new Tenant { Id = "globex" }),
            PolicyChange.CreateTenant(new Tenant { Id = "initech" }),
            PolicyChange.CreatePolicy(ReadPolicy("alice-read", "alice", ["acme", "globex"], "env=\"prod\"")),
            PolicyChange.CreatePolicy(ReadPolicy("bob-read", "bob", ["acme"])),
            PolicyChange.CreatePolicy(ReadPolicy("carol-read", "carol", ["acme", "globex"], "env=\"prod\"")),
        ]);
        if (!applied.Succeeded)
        {
            throw new InvalidOperationException("could not seed the policy store: " + applied);
        }
        var key = TestSigningKey.Rsa();
        _jwks = await JwksServer.StartAsync(key);
        Real = await GatewayHost.StartRealAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9/prometheus",
            ["mimir:tenant_urls:acme"] = Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = Globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["jwt:jwks_url"] = _jwks.JwksUrl.ToString(),
            ["jwt:issuer"] = Issuer,
            ["jwt:audience"] = Audience,
            ["database:driver"] = "sqlite",
            ["database:dsn"] = database,
            ["database:poll_interval"] = "200ms",
            // Long enough that only a revision change can explain a changed decision within a test.
            ["authz:cache:ttl"] = "1h",
        }, key, Issuer, Audience);
    }

    /// <summary>An allow policy for <c>read</c> on <paramref name="tenants"/>' metrics, ANDing <paramref name="filters"/>.</summary>
    internal static AccessPolicy ReadPolicy(string name, string user, string[] tenants, params string[] filters) => new()
    {
        Name = name,
        Effect = PolicyEffects.Allow,
        Subjects = [new PolicySubject { Type = PolicySubjectTypes.User, Id = user }],
        Actions = [PolicyActions.Read],
        Scope = new PolicyScope { Tenants = tenants, Resources = ["metrics"] },
        Filters = filters,
    };

    /// <summary>fed_metric{env=prod|dev, owner=tenant} every 15 s for 10 min; with <c>labelled</c> also <c>__tenant_id__</c>.</summary>
    private static string Data(long start, params (string Tenant, bool Labelled)[] tenants)
    {
        var sb = new StringBuilder("# TYPE fed_metric gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            foreach (var (tenant, labelled) in tenants)
            {
                var id = labelled ? $"__tenant_id__=\"{tenant}\"," : "";
                sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{{id}env=\"prod\",owner=\"{tenant}\"}} 1 {t}\n");
                sb.Append(CultureInfo.InvariantCulture, $"fed_metric{{{id}env=\"dev\",owner=\"{tenant}\"}} 2 {t}\n");
            }
        }
        return sb.Append("# EOF\n").ToString();
    }

    public async Task DisposeAsync()
    {
        await Real.DisposeAsync();
        await _jwks.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        await Fanout.DisposeAsync();
        await Native.DisposeAsync();
        await Acme.DisposeAsync();
        await Globex.DisposeAsync();
        await Federated.DisposeAsync();
    }
}

/// <summary>Lists tenants for auto-resolution (stands in for the store's snapshot provider).</summary>
internal sealed class FixedSnapshotProvider(params string[] tenants) : IPolicySnapshotProvider
{
    public PolicySnapshot Current { get; } = new() { Revision = 1, Tenants = [.. tenants.Select(t => new Tenant { Id = t })], Policies = [] };

    public IChangeToken Watch() => NullChangeToken.Singleton;
}
