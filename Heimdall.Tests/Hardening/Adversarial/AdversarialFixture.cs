using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Identity.Basic;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// The real pipeline, started once for the whole adversarial suite: two real Prometheus servers (tenants
/// <c>acme</c> and <c>globex</c>) with back-filled data behind a <see cref="RecordingUpstream"/>; a JWKS served on
/// loopback (<see cref="JwksServer"/>, counting fetches); a basic-auth users file; and the real
/// <c>heimdall serve</c> process (fan-out strategy, SQLite store, built-in <c>LocalPolicyEvaluator</c>) whose
/// tenants and policies are written through its own admin API.
/// </summary>
/// <remarks>
/// Data: every series a grant of <c>env="prod"</c> hides has a value of at least <see cref="Forbidden"/>, so a leaked
/// sample is recognisable whatever labels a query forges. Permitted values are small.
/// </remarks>
public sealed class AdversarialFixture : IAsyncLifetime
{
    public const string Issuer = "https://idp.adversarial.test/";
    public const string Audience = "heimdall";
    public const string AdminGroup = "heimdall-admins";
    public const string BundleToken = "bundle-token-7f3a9c1e";
    public const string WriterUser = "prom";
    public const string WriterPassword = "correct horse battery staple";

    /// <summary>Values at or above this come only from series hidden from <c>env="prod"</c> grants.</summary>
    public const double Forbidden = 1_000_000;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("heimdall-adversarial-");
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    internal FederationPrometheus Acme { get; private set; } = null!;
    internal FederationPrometheus Globex { get; private set; } = null!;
    internal RecordingUpstream Upstream { get; private set; } = null!;
    internal JwksServer Jwks { get; private set; } = null!;
    internal TestSigningKey Key { get; private set; } = null!;
    internal HeimdallServeProcess Serve { get; private set; } = null!;

    /// <summary>A client for the proxy listener (no default headers).</summary>
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>An evaluation time inside the back-filled data (Unix seconds).</summary>
    public long Time { get; private set; }

    public async Task InitializeAsync()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds() / 60 * 60;
        Time = start + 300;
        var servers = await Task.WhenAll(FederationPrometheus.StartAsync(AcmeData(start)), FederationPrometheus.StartAsync(GlobexData(start)));
        (Acme, Globex) = (servers[0], servers[1]);
        Upstream = await RecordingUpstream.StartAsync(new Dictionary<string, Uri>
        {
            ["acme"] = Acme.Url,
            ["acm.*"] = Acme.Url,
            ["globex"] = Globex.Url,
        });
        Key = TestSigningKey.Rsa();
        Jwks = await JwksServer.StartAsync(Key);

        var users = Path.Combine(_dir.FullName, "users.yaml");
        await File.WriteAllTextAsync(users, $"""
            users:
              - name: {WriterUser}
                password_hash: "{PasswordHasher.HashBcrypt(WriterPassword, cost: 4)}"
                groups: [writers]
            """);
        var config = Path.Combine(_dir.FullName, "config.yaml");
        await File.WriteAllTextAsync(config, $"""
            mimir:
              url: {Upstream.Url}prometheus
            federation:
              strategy: fanout
              max_tenants: 3
            limits:
              max_body_bytes: 65536
              max_form_fields: 256
            jwt:
              jwks_url: {Jwks.JwksUrl}
              issuer: {Issuer}
              audience: {Audience}
              token_headers: [X-Id-Token]
              jwks_refresh_interval: 1h
              jwks_min_refresh_interval: 1h
            basic_auth:
              users_file: {users}
            database:
              driver: sqlite
              dsn: {Path.Combine(_dir.FullName, "heimdall.db")}
              poll_interval: 200ms
            admin:
              group: {AdminGroup}
            bundle:
              token: {BundleToken}
            """);
        Serve = await HeimdallServeProcess.StartAsync(["--config", config, "--log-level", "info"]);
        await WritePoliciesAsync();
    }

    /// <summary>Tenants and policies, written through the admin API of the running server.</summary>
    private async Task WritePoliciesAsync()
    {
        static string Policy(string name, string user, string tenant, string action, params string[] filters) => JsonSerializer.Serialize(new
        {
            name, effect = "allow", subjects = new[] { new { type = "user", id = user } }, actions = new[] { action },
            scope = new { tenants = new[] { tenant }, resources = new[] { "metrics" } }, filters,
        });
        var body = $$"""
            {"tenants": [{"id": "acme"}, {"id": "globex"}, {"id": "acm.*"}, {"id": "initech"}],
             "policies": [
               {{Policy("alice-acme-prod", "alice", "acme", "read", "env=\"prod\"")}},
               {{Policy("alice-globex-dev", "alice", "globex", "read", "env=\"dev\"")}},
               {{Policy("carol-prod-a", "carol", "acme", "read", "env=\"prod\"", "team=\"a\"")}},
               {{Policy("carol-dev-b", "carol", "acme", "read", "env=\"dev\"", "team=\"b\"")}},
               {{Policy("dave-public-names", "dave", "acme", "read", "__name__=~\"hm_public_.*\"")}},
               {{Policy("erin-regex-tenant", "erin", "acm.*", "read")}},
               {{Policy("prom-writes-acme", WriterUser, "acme", "write")}},
               {{Policy("prom-writes-globex", WriterUser, "globex", "write")}},
               {{Policy("wanda-writes-acme", "wanda", "acme", "write")}}
             ]}
            """;
        using var request = Request(HttpMethod.Post, "/admin/v1/policies", Admin());
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"could not write the policies: {(int)response.StatusCode} {text}");
        }
        // The gateway reads the store through its polled snapshot: wait until every user's grants are in force.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var (user, tenant) in new[] { ("alice", "acme"), ("alice", "globex"), ("carol", "acme"), ("dave", "acme"), ("erin", "acm.*") })
        {
            while (true)
            {
                var (status, _) = await QueryAsync(user, "vector(1)", tenant);
                if (status == HttpStatusCode.OK)
                {
                    break;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"policies for {user} on {tenant} not in force: {status}\n{Serve.Output}");
                }
                await Task.Delay(100);
            }
        }
    }

    /// <summary>acme: <c>hm_metric</c> (env × team), <c>hm_public_info</c> and <c>hm_secret_total</c>, every 15 s for 10 min.</summary>
    private static string AcmeData(long start)
    {
        var sb = new StringBuilder("# TYPE hm_metric gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            Line(sb, "hm_metric", """env="prod",job="api",team="a" """, 1, t);
            Line(sb, "hm_metric", """env="prod",job="api",team="b" """, 2, t);
            Line(sb, "hm_metric", """env="dev",job="api",team="a" """, Forbidden + 1, t);
            Line(sb, "hm_metric", """env="dev",job="api",team="b" """, Forbidden + 2, t);
        }
        sb.Append("# TYPE hm_public_info gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            Line(sb, "hm_public_info", """env="prod",team="a" """, 7, t);
            Line(sb, "hm_public_info", """env="dev",team="a" """, Forbidden + 7, t);
        }
        sb.Append("# TYPE hm_secret_total counter\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            Line(sb, "hm_secret_total", """env="prod",team="a" """, 9, t);
        }
        return sb.Append("# EOF\n").ToString();
    }

    /// <summary>globex: <c>hm_metric</c> prod (3) and dev (4).</summary>
    private static string GlobexData(long start)
    {
        var sb = new StringBuilder("# TYPE hm_metric gauge\n");
        for (var t = start; t <= start + 600; t += 15)
        {
            Line(sb, "hm_metric", """env="prod",job="api",team="a" """, 3, t);
            Line(sb, "hm_metric", """env="dev",job="api",team="a" """, 4, t);
        }
        return sb.Append("# EOF\n").ToString();
    }

    private static void Line(StringBuilder sb, string name, string labels, double value, long t) =>
        sb.Append(CultureInfo.InvariantCulture, $"{name}{{{labels.Trim()}}} {value} {t}\n");

    /// <summary>A valid token for <paramref name="user"/> (cached per user and groups).</summary>
    public string Token(string user, params string[] groups)
    {
        var key = user + "|" + string.Join(",", groups);
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(key, out var token))
            {
                token = Key.Mint(new Dictionary<string, object> { ["groups"] = groups }, sub: user, issuer: Issuer, audience: Audience, ttl: TimeSpan.FromHours(2));
                _tokens[key] = token;
            }
            return token;
        }
    }

    /// <summary><c>Bearer</c> credentials of an administrator.</summary>
    public AuthenticationHeaderValue Admin() => new("Bearer", Token("root", AdminGroup));

    /// <summary><c>Bearer</c> credentials of <paramref name="user"/>.</summary>
    public AuthenticationHeaderValue Bearer(string user) => new("Bearer", Token(user));

    /// <summary>A request to the proxy listener.</summary>
    public HttpRequestMessage Request(HttpMethod method, string pathAndQuery, AuthenticationHeaderValue? credentials = null, string? tenants = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Serve.MainUrl, pathAndQuery));
        request.Headers.Authorization = credentials;
        if (tenants is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Scope-OrgID", tenants);
        }
        return request;
    }

    /// <summary>An instant query at <see cref="Time"/> sent as a form POST.</summary>
    public async Task<(HttpStatusCode Status, string Body)> QueryAsync(string user, string query, string? tenants = "acme")
    {
        using var request = Request(HttpMethod.Post, "/prometheus/api/v1/query", Bearer(user), tenants);
        request.Content = new FormUrlEncodedContent([new("query", query), new("time", Time.ToString(CultureInfo.InvariantCulture))]);
        return await SendAsync(request);
    }

    /// <summary>Sends and reads the whole answer.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The same instant query sent straight to a Prometheus (the reference answer).</summary>
    internal async Task<string> ReferenceAsync(FederationPrometheus prometheus, string query)
    {
        using var response = await Client.PostAsync(new Uri(prometheus.Url, "/api/v1/query"),
            new FormUrlEncodedContent([new("query", query), new("time", Time.ToString(CultureInfo.InvariantCulture))]));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"reference query failed: {query}: {body}");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (Serve is not null)
        {
            await Serve.DisposeAsync();
        }
        foreach (var d in new IAsyncDisposable?[] { Upstream, Jwks, Acme, Globex })
        {
            if (d is not null)
            {
                await d.DisposeAsync();
            }
        }
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
