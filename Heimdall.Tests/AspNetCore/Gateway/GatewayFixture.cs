using System.Globalization;
using System.Text;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// Real Prometheus servers and two gateways on the real identity path (<see cref="RealIdentityPath"/>: JWT against a
/// loopback JWKS, basic auth from a users file, policies in a SQLite store, the built-in evaluator and its decision
/// cache): (a) <c>fanout</c> with one Prometheus per tenant (acme, globex); (b) <c>native</c> in front of one Prometheus
/// holding both tenants' data labelled with <c>__tenant_id__</c>, standing for Mimir's federated view (valid for two or
/// more tenants, where Mimir federates).
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    internal RealIdentityPath Identity { get; private set; } = null!;

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
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xunit does not dispose a fixture whose start failed: leave no Prometheus behind
            throw;
        }
    }

    private async Task StartAsync()
    {
        Start = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 60 * 60;
        Time = Start + 300;
        var acme = Data(Start, ("acme", false));
        var globex = Data(Start, ("globex", false));
        var both = Data(Start, ("acme", true), ("globex", true));
        var servers = await Task.WhenAll(FederationPrometheus.StartAsync(acme), FederationPrometheus.StartAsync(globex), FederationPrometheus.StartAsync(both));
        (Acme, Globex, Federated) = (servers[0], servers[1], servers[2]);

        var prod = "env=\"prod\"";
        Identity = await RealIdentityPath.StartAsync(["acme", "globex", "initech"],
        [
            RealIdentityPath.Allow("alice-read", "alice", PolicyActions.Read, ["acme", "globex"], prod),
            RealIdentityPath.Allow("alice-rules", "alice", PolicyActions.RulesRead, ["acme", "globex"], prod),
            RealIdentityPath.Allow("bob-read", "bob", PolicyActions.Read, ["acme"]),
            RealIdentityPath.Allow("carol-read", "carol", PolicyActions.Read, ["acme", "globex"], prod),
        ], "alice");
        Fanout = await Identity.StartHostAsync(new()
        {
            ["mimir:url"] = "http://127.0.0.1:9/prometheus",
            ["mimir:tenant_urls:acme"] = Acme.Url.ToString(),
            ["mimir:tenant_urls:globex"] = Globex.Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["federation:max_tenants"] = "3",
            ["limits:max_body_bytes"] = "2048",
        });
        Native = await Identity.StartHostAsync(new()
        {
            ["mimir:url"] = Federated.Url.ToString(),
            ["federation:strategy"] = "native",
        });
    }

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
        foreach (var disposable in (IAsyncDisposable?[])[Fanout, Native, Identity, Acme, Globex, Federated])
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}

/// <summary>Lists tenants for auto-resolution (stands in for the store's snapshot provider).</summary>
internal sealed class FixedSnapshotProvider(params string[] tenants) : IPolicySnapshotProvider
{
    public PolicySnapshot Current { get; } = new() { Revision = 1, Tenants = [.. tenants.Select(t => new Tenant { Id = t })], Policies = [] };

    public IChangeToken Watch() => NullChangeToken.Singleton;
}
