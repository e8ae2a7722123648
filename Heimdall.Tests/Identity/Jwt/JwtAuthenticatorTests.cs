using System.Security.Cryptography;
using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Jwt;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Tests.Identity.Jwt;

/// <summary>JWT validation against real keys: a JWKS served by Kestrel on loopback, files, inline keys and HMAC.</summary>
public sealed class JwtAuthenticatorTests
{
    private const string Issuer = "https://idp.example";
    private const string Audience = "heimdall";

    private static JwtAuthenticator Create(JwtOptions options) =>
        new(options, AuthenticatorFactory.CreateKeySource(options, NullLoggerFactory.Instance, null, TimeProvider.System),
            TimeProvider.System, NullLogger.Instance);

    private static JwtOptions UrlOptions(JwksServer server) => new()
    {
        JwksUrl = server.JwksUrl,
        Issuer = Issuer,
        Audiences = [Audience],
        GroupClaims = ["groups", "realm_access.roles"],
        TenantClaims = ["tenant_id", "namespaces"],
    };

    private static string Mint(TestSigningKey key, IDictionary<string, object>? claims = null, string sub = "alice") =>
        key.Mint(claims, sub: sub, issuer: Issuer, audience: Audience);

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    public async Task Accepts_TokenSignedByJwksKey(string alg)
    {
        var key = alg.StartsWith("ES", StringComparison.Ordinal) ? TestSigningKey.Ec(alg) : TestSigningKey.Rsa(alg);
        await using var server = await JwksServer.StartAsync(TestSigningKey.Rsa(), key);
        var authenticator = Create(UrlOptions(server));

        var result = await authenticator.AuthenticateAsync(Mint(key, new Dictionary<string, object>
        {
            ["groups"] = new[] { "sre", "dev" },
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "admin", "sre" } },
            ["namespaces"] = new[] { "acme", "globex" },
        }), default);

        Assert.True(result.Succeeded, result.FailureReason);
        var identity = result.Identity!;
        Assert.Equal("alice", identity.User);
        Assert.Equal(["sre", "dev", "admin"], identity.Groups);
        Assert.Equal(["acme", "globex"], identity.Tenants);
        Assert.Equal("jwt", identity.Method);
        Assert.Equal(Issuer, identity.Claims["iss"].GetString());
        Assert.NotNull(identity.ExpiresAt);
        Assert.InRange(identity.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task Accepts_KeyAfterRotation_AndRefusesRemovedKey()
    {
        var oldKey = TestSigningKey.Rsa();
        var newKey = TestSigningKey.Ec();
        await using var server = await JwksServer.StartAsync(oldKey);
        var authenticator = Create(UrlOptions(server) with { JwksMinRefreshInterval = TimeSpan.Zero });
        var oldToken = Mint(oldKey);
        Assert.True((await authenticator.AuthenticateAsync(oldToken, default)).Succeeded);
        Assert.Equal(1, server.Requests);

        server.Serve(newKey);
        var rotated = await authenticator.AuthenticateAsync(Mint(newKey, sub: "bob"), default);

        Assert.True(rotated.Succeeded, rotated.FailureReason);
        Assert.Equal("bob", rotated.Identity!.User);
        Assert.Equal(2, server.Requests);
        // The old key is gone: its token, although cached before, is refused now.
        var stale = await authenticator.AuthenticateAsync(oldToken, default);
        Assert.False(stale.Succeeded);
        Assert.Equal("unknown signing key", stale.FailureReason);
    }

    [Fact]
    public async Task FetchesJwksOnce_ForFloodOfUnknownKeyIds()
    {
        var key = TestSigningKey.Rsa();
        await using var server = await JwksServer.StartAsync(key);
        var authenticator = Create(UrlOptions(server) with { JwksMinRefreshInterval = TimeSpan.FromMinutes(5) });
        Assert.True((await authenticator.AuthenticateAsync(Mint(key), default)).Succeeded);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            authenticator.AuthenticateAsync(Mint(TestSigningKey.Ec(kid: "bogus-" + i)), default).AsTask()));

        Assert.All(results, r => Assert.Equal("unknown signing key", r.FailureReason));
        // The initial load plus at most one refresh for the whole flood.
        Assert.InRange(server.Requests, 1, 2);
    }

    [Fact]
    public async Task FetchesJwksOnce_ForConcurrentFirstRequests()
    {
        var key = TestSigningKey.Ec();
        await using var server = await JwksServer.StartAsync(key);
        var authenticator = Create(UrlOptions(server) with { CacheSize = 0 });
        var token = Mint(key);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => authenticator.AuthenticateAsync(token, default).AsTask())));

        Assert.All(results, r => Assert.True(r.Succeeded, r.FailureReason));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task RefetchesJwks_OnSchedule()
    {
        var key = TestSigningKey.Rsa();
        await using var server = await JwksServer.StartAsync(key);
        var authenticator = Create(UrlOptions(server) with
        {
            JwksRefreshInterval = TimeSpan.FromSeconds(1),
            JwksMinRefreshInterval = TimeSpan.FromSeconds(1),
            CacheSize = 0,
        });
        var token = Mint(key);
        Assert.True((await authenticator.AuthenticateAsync(token, default)).Succeeded);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (server.Requests < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            Assert.True((await authenticator.AuthenticateAsync(token, default)).Succeeded);
        }
        Assert.True(server.Requests >= 2, "the JWKS was not fetched again after the refresh interval");
    }

    [Fact]
    public async Task AnswersUnavailable_WhenJwksUrlDoesNotAnswer()
    {
        var port = FreePort();
        var authenticator = Create(new JwtOptions { JwksUrl = new Uri($"http://127.0.0.1:{port}/jwks") });

        var result = await authenticator.AuthenticateAsync(TestSigningKey.Rsa().Mint(), default);

        Assert.False(result.Succeeded);
        Assert.True(result.DependencyUnavailable);
        Assert.Equal("signing keys unavailable", result.FailureReason);
        Assert.Equal(0, authenticator.CachedCount);
    }

    public static TheoryData<string, Func<TestSigningKey, TestSigningKey, string>> Refusals() => new()
    {
        { "token expired", (k, _) => k.Mint(issuer: Issuer, audience: Audience, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)) },
        { "token not yet valid", (k, _) => k.Mint(issuer: Issuer, audience: Audience, notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2)) },
        { "token has no expiry (exp)", (k, _) => k.Mint(issuer: Issuer, audience: Audience, withExpiry: false) },
        { "wrong audience", (k, _) => k.Mint(issuer: Issuer, audience: "someone-else") },
        { "wrong issuer", (k, _) => k.Mint(issuer: "https://evil.example", audience: Audience) },
        { "token has no user claim (sub, email, preferred_username)", (k, _) => k.Mint(sub: null, issuer: Issuer, audience: Audience) },
        { "malformed token", (_, _) => "not-a-token" },
        { "algorithm not allowed", (k, _) => TestSigningKey.Forge(new { alg = "none", kid = k.KeyId }, Payload(), null) },
        { "algorithm not allowed", (k, _) => TestSigningKey.Forge(new { alg = "NONE", kid = k.KeyId }, Payload(), null) },
        // Algorithm confusion: the RSA public key used as an HMAC secret.
        { "algorithm not allowed", (k, _) => TestSigningKey.Forge(new { alg = "HS256", kid = k.KeyId }, Payload(), d => HMACSHA256.HashData(k.PublicKeyBytes(), d)) },
        // An EC key's signature presented as RS256 under the EC key's kid.
        { "signing key does not match the algorithm", (_, ec) => TestSigningKey.Forge(new { alg = "RS256", kid = ec.KeyId }, Payload(), ec.SignRaw) },
        // The RSA key's kid with ES256.
        { "signing key does not match the algorithm", (k, ec) => TestSigningKey.Forge(new { alg = "ES256", kid = k.KeyId }, Payload(), ec.SignRaw) },
        { "invalid signature", (k, _) => Tamper(k.Mint(issuer: Issuer, audience: Audience)) },
        { "unsupported critical header", (k, _) => TestSigningKey.Forge(new { alg = "RS256", kid = k.KeyId, crit = new[] { "b64" }, b64 = false }, Payload(), k.SignRaw) },
        { "unknown signing key", (_, _) => TestSigningKey.Rsa().Mint(issuer: Issuer, audience: Audience) },
        { "algorithm not allowed", (_, _) => TestSigningKey.Rsa("PS384").Mint(issuer: Issuer, audience: Audience) },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refuses_InvalidToken(string reason, Func<TestSigningKey, TestSigningKey, string> token)
    {
        var rsa = TestSigningKey.Rsa();
        var ec = TestSigningKey.Ec();
        await using var server = await JwksServer.StartAsync(rsa, ec);
        var authenticator = Create(UrlOptions(server) with { Algorithms = ["RS256", "ES256"] });
        var text = token(rsa, ec);

        var result = await authenticator.AuthenticateAsync(text, default);

        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.FailureReason);
        Assert.Equal($"Bearer realm=\"heimdall\", error=\"invalid_token\", error_description=\"{reason}\"", result.Challenge);
        Assert.DoesNotContain(text, result.Challenge!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("e30.e30.")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!!.x")]
    [InlineData("WzFd.e30.eA")]
    [InlineData("eyJhbGciOjF9.e30.eA")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.WzFd.eA")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiJzb29uIn0.eA")]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6W119.e30.eA")]
    [InlineData("a.b.c.d.e")]
    public async Task RefusesWithoutThrowing_GarbageTokens(string token)
    {
        var key = TestSigningKey.Rsa();
        var result = await Create(new JwtOptions { InlineJwks = TestSigningKey.Jwks(key) }).AuthenticateAsync(token, default);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.FailureReason);
    }

    [Fact]
    public async Task RefusesToken_WhoseJwkNamesAnotherAlgorithm()
    {
        var key = TestSigningKey.Rsa("RS256");
        var jwk = key.PublicJwk();
        jwk["alg"] = "RS512";
        var options = new JwtOptions { InlineJwks = new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(jwk) }.ToJsonString() };

        var result = await Create(options).AuthenticateAsync(key.Mint(), default);

        Assert.Equal("signing key does not match the algorithm", result.FailureReason);
    }

    [Fact]
    public async Task Accepts_TokenWithoutKid_ByTryingCompatibleKeys()
    {
        var key = TestSigningKey.Ec();
        var options = new JwtOptions { InlineJwks = TestSigningKey.Jwks(TestSigningKey.Rsa(), key) };
        var header = new { alg = "ES256", typ = "JWT" };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = TestSigningKey.Forge(header, new { sub = "carol", exp = now + 600 }, d => key.SignRaw(d));

        var result = await Create(options).AuthenticateAsync(token, default);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("carol", result.Identity!.User);
    }

    [Fact]
    public async Task ReloadsJwksFile_WhenItChanges()
    {
        var first = TestSigningKey.Rsa();
        var second = TestSigningKey.Ec();
        var path = Path.Combine(Path.GetTempPath(), "heimdall-jwks-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, TestSigningKey.Jwks(first));
        try
        {
            var authenticator = Create(new JwtOptions { JwksFile = path });
            Assert.True((await authenticator.AuthenticateAsync(first.Mint(), default)).Succeeded);

            await File.WriteAllTextAsync(path, TestSigningKey.Jwks(second));
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
            var token = second.Mint(sub: "dave");
            AuthenticationResult result;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                await Task.Delay(250);
                result = await authenticator.AuthenticateAsync(token, default);
            }
            while (!result.Succeeded && DateTime.UtcNow < deadline);

            Assert.True(result.Succeeded, result.FailureReason);
            Assert.Equal("dave", result.Identity!.User);
            Assert.Equal("unknown signing key", (await authenticator.AuthenticateAsync(first.Mint(sub: "eve"), default)).FailureReason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AcceptsHmacToken_OnlyWithConfiguredSecret()
    {
        var secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var authenticator = Create(new JwtOptions { HmacSecret = secret });
        string Sign(string key, string alg) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "svc" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), alg),
        });

        Assert.True((await authenticator.AuthenticateAsync(Sign(secret, "HS256"), default)).Succeeded);
        Assert.True((await authenticator.AuthenticateAsync(Sign(secret, "HS512"), default)).Succeeded);
        Assert.Equal("invalid signature", (await authenticator.AuthenticateAsync(Sign(secret + "x", "HS256"), default)).FailureReason);
        Assert.Equal("algorithm not allowed", (await authenticator.AuthenticateAsync(TestSigningKey.Rsa().Mint(), default)).FailureReason);
        // A 32-byte secret is too short for HS512 (RFC 7518 §3.2), so HS512 is not in the default allow-list then.
        var shortSecret = secret[..32];
        Assert.Equal("algorithm not allowed",
            (await Create(new JwtOptions { HmacSecret = shortSecret }).AuthenticateAsync(
                TestSigningKey.Forge(new { alg = "HS512" }, new { sub = "svc", exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds() },
                    d => HMACSHA512.HashData(System.Text.Encoding.UTF8.GetBytes(shortSecret), d)), default)).FailureReason);
    }

    [Fact]
    public async Task CachesValidTokens_WithinBound()
    {
        var key = TestSigningKey.Ec();
        var authenticator = Create(new JwtOptions { InlineJwks = TestSigningKey.Jwks(key), CacheSize = 2 });
        var tokens = Enumerable.Range(0, 3).Select(i => key.Mint(sub: "u" + i)).ToArray();

        var first = await authenticator.AuthenticateAsync(tokens[0], default);
        var again = await authenticator.AuthenticateAsync(tokens[0], default);
        Assert.Same(first, again);
        Assert.Equal(1, authenticator.CachedCount);
        foreach (var token in tokens)
        {
            Assert.True((await authenticator.AuthenticateAsync(token, default)).Succeeded);
        }
        Assert.Equal(2, authenticator.CachedCount);
    }

    private static object Payload() => new
    {
        sub = "mallory",
        iss = Issuer,
        aud = Audience,
        exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
    };

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"alice\"", "\"admin\"", StringComparison.Ordinal);
        return parts[0] + "." + Base64UrlEncoder.Encode(payload) + "." + parts[2];
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
