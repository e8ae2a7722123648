using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Benchmarks.Load.Soak;

/// <summary>
/// The whole pipeline on loopback for the soak: two real Prometheus servers (tenants acme and globex, each scraping
/// itself as jobs <c>prod</c> and <c>dev</c>), an identity provider's JWKS endpoint, and Heimdall in this process
/// (<c>AddHeimdall(configuration)</c>, <c>MapHeimdall()</c> on Kestrel) with JWT authentication, policies from a
/// directory, the built-in evaluator with its decision cache, the PromQL rewriter and the per-tenant fan-out.
/// Grants: alice reads acme and globex with <c>job="prod"</c>; group <c>dev-team</c> (bob) reads globex with <c>job="dev"</c>.
/// </summary>
internal sealed class SoakEnvironment : IAsyncDisposable
{
    public const string Issuer = "https://idp.soak.test/";
    public const string Audience = "heimdall";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly RSA _rsa = RSA.Create(2048);
    private string _directory = "";

    private SoakEnvironment()
    {
    }

    /// <summary>Heimdall's base address.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>alice's token (read acme and globex, <c>job="prod"</c>).</summary>
    public string AliceToken { get; private set; } = "";

    /// <summary>bob's token (group dev-team: read globex, <c>job="dev"</c>).</summary>
    public string BobToken { get; private set; } = "";

    public static async Task<SoakEnvironment> StartAsync(int connections, CancellationToken cancellationToken = default)
    {
        var env = new SoakEnvironment();
        try
        {
            await env.InitializeAsync(connections, cancellationToken);
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(int connections, CancellationToken cancellationToken)
    {
        _directory = Directory.CreateTempSubdirectory("heimdall-soak-").FullName;
        var proms = await Task.WhenAll(SoakPrometheus.StartAsync(cancellationToken), SoakPrometheus.StartAsync(cancellationToken));
        _owned.AddRange(proms);

        var key = new RsaSecurityKey(_rsa) { KeyId = "soak" };
        var p = _rsa.ExportParameters(false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["kid"] = "soak", ["use"] = "sig", ["alg"] = "RS256",
                ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            }),
        }.ToJsonString();
        var idp = await StartAppAsync(app => app.MapGet("/jwks", () => Results.Text(jwks, "application/json")), _ => { });
        _owned.Add(idp);

        var policies = Path.Combine(_directory, "policies");
        Directory.CreateDirectory(policies);
        await WritePoliciesAsync(aliceFilter: "job=\"prod\"", cancellationToken);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["mimir:url"] = proms[0].Url.ToString(),
            ["mimir:tenant_urls:acme"] = proms[0].Url.ToString(),
            ["mimir:tenant_urls:globex"] = proms[1].Url.ToString(),
            ["federation:strategy"] = "fanout",
            ["fanout:max_concurrency"] = Math.Max(64, 4 * connections).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fanout:queue_timeout"] = "30s",
            ["fanout:timeout"] = "30s",
            ["jwt:jwks_url"] = new Uri(GetAddress(idp), "/jwks").ToString(),
            ["jwt:issuer"] = Issuer,
            ["jwt:audience"] = Audience,
            ["policies:directory"] = Path.Combine(_directory, "policies"),
            ["bundle:allow_anonymous"] = "true",
        }).Build();
        var gateway = await StartAppAsync(app => app.MapHeimdall(), services => services.AddHeimdall(configuration));
        _owned.Add(gateway);
        GatewayUrl = GetAddress(gateway);

        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        string Mint(string sub, params string[] groups) => handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = sub, ["groups"] = groups },
            Issuer = Issuer,
            Audience = Audience,
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(6),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
        AliceToken = Mint("alice");
        BobToken = Mint("bob", "dev-team");
    }

    /// <summary>
    /// Rewrites the policy file (the gateway reloads it on change). <paramref name="aliceFilter"/> is alice's grant on
    /// both tenants; the driver's checks assume <c>job="prod"</c>, so anything wider must show up as leaks.
    /// </summary>
    public Task WritePoliciesAsync(string aliceFilter, CancellationToken cancellationToken = default) =>
        File.WriteAllTextAsync(Path.Combine(_directory, "policies", "policies.json"), $$"""
            {"tenants": [{"id": "acme"}, {"id": "globex"}],
             "policies": [
               {"name": "alice-reads-prod", "effect": "allow", "subjects": [{"type": "user", "id": "alice"}],
                "actions": ["read"], "scope": {"tenants": ["acme", "globex"], "resources": ["metrics"]}, "filters": [{{System.Text.Json.JsonSerializer.Serialize(aliceFilter)}}]},
               {"name": "dev-team-reads-globex-dev", "effect": "allow", "subjects": [{"type": "group", "id": "dev-team"}],
                "actions": ["read"], "scope": {"tenants": ["globex"], "resources": ["metrics"]}, "filters": ["job=\"dev\""]}]}
            """, cancellationToken);

    private static async Task<WebApplication> StartAppAsync(Action<WebApplication> map, Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    private static Uri GetAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            if (_owned[i] is WebApplication app)
            {
                await app.StopAsync();
            }
            await _owned[i].DisposeAsync();
        }
        _rsa.Dispose();
        if (_directory.Length > 0)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
