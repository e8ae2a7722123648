using System.Net;
using System.Text.Json;
using Heimdall.AspNetCore.Health;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// The whole gateway on a real Kestrel (127.0.0.1:0): <c>AddHeimdall(configuration)</c>, <c>MapHeimdall()</c> and
/// <c>/readyz</c> as <c>heimdall serve</c> maps it, with the real identity stack (JWTs checked against a loopback
/// JWKS) and the real evaluators. The configuration starts from <see cref="BaseSettings"/>.
/// </summary>
internal sealed class FaultGateway : IAsyncDisposable
{
    public const string Issuer = "https://idp.heimdall.test/";
    public const string Audience = "heimdall";

    private readonly LoopbackServer _server;
    private readonly string _directory;

    private FaultGateway(LoopbackServer server, string directory)
    {
        _server = server;
        _directory = directory;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Client { get; }

    public Uri Url => _server.Address;

    /// <summary>
    /// JWT against <paramref name="jwks"/>, tenants acme and globex, alice may read both with <c>env="prod"</c> (a policy
    /// file), the upstream <paramref name="upstream"/>, no decision cache (every request is evaluated); <paramref name="extra"/> overrides.
    /// </summary>
    public static Dictionary<string, string?> BaseSettings(JwksServer jwks, Uri upstream, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["mimir:url"] = upstream.ToString(),
            ["jwt:jwks_url"] = jwks.JwksUrl.ToString(),
            ["jwt:issuer"] = Issuer,
            ["jwt:audience"] = Audience,
            ["authz:cache:max_entries"] = "0",
            ["bundle:allow_anonymous"] = "true",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }
        return settings;
    }

    public static async Task<FaultGateway> StartAsync(Dictionary<string, string?> settings)
    {
        var directory = Directory.CreateTempSubdirectory("heimdall-faults-").FullName;
        if (!settings.ContainsKey("database:driver") && !settings.ContainsKey("policies:directory"))
        {
            var policies = Path.Combine(directory, "policies");
            Directory.CreateDirectory(policies);
            await File.WriteAllTextAsync(Path.Combine(policies, "policies.json"), """
                {"tenants": [{"id": "acme"}, {"id": "globex"}],
                 "policies": [{"name": "alice-reads-prod", "effect": "allow", "subjects": [{"type": "user", "id": "alice"}],
                               "actions": ["read"], "scope": {"tenants": ["acme", "globex"], "resources": ["metrics"]},
                               "filters": ["env=\"prod\""]}]}
                """);
            settings = new(settings) { ["policies:directory"] = policies };
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var server = await LoopbackServer.StartAsync(
            services: services =>
            {
                services.AddRouting();
                services.AddHeimdall(configuration);
            },
            map: app =>
            {
                app.MapHeimdall();
                app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthCheckRegistration.ReadyTag) });
            });
        return new FaultGateway(server, directory);
    }

    /// <summary>A token for <paramref name="user"/> signed by <paramref name="key"/>, for this gateway's issuer and audience.</summary>
    public static string Token(TestSigningKey key, string user = "alice", TimeSpan? ttl = null, DateTime? expires = null, DateTime? notBefore = null) =>
        key.Mint(sub: user, issuer: Issuer, audience: Audience, ttl: ttl, expires: expires, notBefore: notBefore);

    /// <summary>An instant query for <c>fed_metric</c> at <paramref name="time"/> over <paramref name="tenants"/>.</summary>
    public HttpRequestMessage Query(string token, string tenants, long time, string query = "fed_metric")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/query?query={Uri.EscapeDataString(query)}&time={time}");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TryAddWithoutValidation("X-Scope-OrgID", tenants);
        return request;
    }

    /// <summary>Sends <paramref name="request"/>; the answer must be JSON (Prometheus' data or error format).</summary>
    public async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await Client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{(int)response.StatusCode}: {text}");
        return new Answer(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    public async Task<HttpStatusCode> ReadyAsync()
    {
        using var response = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A JSON answer.</summary>
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, string Text)
    {
        /// <summary>The error message of an error answer (asserts the Prometheus error shape and that no data came along).</summary>
        public string Error
        {
            get
            {
                Assert.Equal("error", Body.GetProperty("status").GetString());
                Assert.False(Body.TryGetProperty("data", out _), Text);
                return Body.GetProperty("error").GetString()!;
            }
        }

        /// <summary>The label sets of a query result.</summary>
        public IReadOnlyList<Dictionary<string, string>> Series =>
        [
            .. Body.GetProperty("data").GetProperty("result").EnumerateArray()
                .Select(s => s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)),
        ];

        /// <summary>Asserts a 200 whose series are all <c>env="prod"</c> (the grant), and that there are some.</summary>
        public void AssertOnlyProd()
        {
            Assert.True(Status == HttpStatusCode.OK, Text);
            Assert.NotEmpty(Series);
            Assert.All(Series, s => Assert.Equal("prod", s["env"]));
        }
    }
}
