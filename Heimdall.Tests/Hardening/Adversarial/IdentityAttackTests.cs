using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Heimdall.Tests.Common;
using Microsoft.IdentityModel.Tokens;

namespace Heimdall.Tests.Hardening.Adversarial;

/// <summary>
/// Token attacks on the real identity stack of <c>heimdall serve</c> (JWT validated against a JWKS served on loopback,
/// basic auth from a users file): each must be a 401 with a challenge and Prometheus' JSON error, and nothing may be
/// forwarded; unknown <c>kid</c> floods must not hammer the JWKS endpoint.
/// </summary>
[Collection(AdversarialCollection.Name)]
public sealed class IdentityAttackTests(AdversarialFixture fixture)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private object Claims(string sub = "alice", long? exp = null, string issuer = AdversarialFixture.Issuer, string audience = AdversarialFixture.Audience) =>
        new Dictionary<string, object> { ["sub"] = sub, ["iss"] = issuer, ["aud"] = audience, ["nbf"] = Now - 60, ["iat"] = Now - 60, ["exp"] = exp ?? Now + 3600, ["groups"] = new[] { AdversarialFixture.AdminGroup } };

    public static TheoryData<string> Attacks => new()
    {
        "alg-none", "alg-none-uppercase", "alg-none-with-kid", "hs256-with-rsa-public-key-bytes", "hs256-with-jwk-modulus", "expired",
        "not-yet-valid", "wrong-issuer", "wrong-audience", "tampered-payload", "signature-stripped", "unknown-kid", "jku-injection",
        "embedded-jwk", "garbage", "two-dots-only",
    };

    private string Forge(string attack)
    {
        var key = fixture.Key;
        var now = DateTime.UtcNow;
        return attack switch
        {
            "alg-none" => TestSigningKey.Forge(new { alg = "none", typ = "JWT" }, Claims("root"), null),
            "alg-none-uppercase" => TestSigningKey.Forge(new { alg = "NONE", typ = "JWT" }, Claims("root"), null),
            "alg-none-with-kid" => TestSigningKey.Forge(new { alg = "none", kid = key.KeyId }, Claims("root"), null),
            "hs256-with-rsa-public-key-bytes" => TestSigningKey.Forge(new { alg = "HS256", kid = key.KeyId, typ = "JWT" }, Claims("root"),
                data => HMACSHA256.HashData(key.PublicKeyBytes(), data)),
            "hs256-with-jwk-modulus" => TestSigningKey.Forge(new { alg = "HS256", kid = key.KeyId }, Claims("root"),
                data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.PublicJwk()["n"]!.GetValue<string>()), data)),
            "expired" => key.Mint(sub: "alice", issuer: AdversarialFixture.Issuer, audience: AdversarialFixture.Audience,
                notBefore: now.AddHours(-3), expires: now.AddHours(-1)),
            "not-yet-valid" => key.Mint(sub: "alice", issuer: AdversarialFixture.Issuer, audience: AdversarialFixture.Audience,
                notBefore: now.AddHours(1), expires: now.AddHours(2)),
            "wrong-issuer" => key.Mint(sub: "alice", issuer: "https://evil.example/", audience: AdversarialFixture.Audience),
            "wrong-audience" => key.Mint(sub: "alice", issuer: AdversarialFixture.Issuer, audience: "grafana"),
            "tampered-payload" => Tamper(fixture.Token("alice")),
            "signature-stripped" => fixture.Token("alice")[..(fixture.Token("alice").LastIndexOf('.') + 1)],
            "unknown-kid" => TestSigningKey.Rsa(kid: "attacker-kid").Mint(sub: "root", issuer: AdversarialFixture.Issuer, audience: AdversarialFixture.Audience),
            "jku-injection" => TestSigningKey.Forge(new { alg = "RS256", kid = "evil", jku = "http://127.0.0.1:9/jwks" }, Claims("root"),
                TestSigningKey.Rsa().SignRaw),
            "embedded-jwk" => EmbeddedJwk(),
            "garbage" => "not-a-token",
            "two-dots-only" => "..",
            _ => throw new ArgumentOutOfRangeException(nameof(attack)),
        };
    }

    /// <summary>The payload of a valid token with <c>sub</c> changed to root and the admin group added; signature kept.</summary>
    private string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"sub\":\"alice\"", "\"sub\":\"root\"", StringComparison.Ordinal)
            .Replace("\"groups\":[]", $"\"groups\":[\"{AdversarialFixture.AdminGroup}\"]", StringComparison.Ordinal);
        Assert.Contains("root", payload, StringComparison.Ordinal);
        return parts[0] + "." + Base64UrlEncoder.Encode(payload) + "." + parts[2];
    }

    /// <summary>A token carrying its own (attacker's) public key in the header.</summary>
    private string EmbeddedJwk()
    {
        var attacker = TestSigningKey.Rsa(kid: fixture.Key.KeyId);
        return TestSigningKey.Forge(new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = fixture.Key.KeyId, ["jwk"] = attacker.PublicJwk() },
            Claims("root"), attacker.SignRaw);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Refuses401_ForForgedOrInvalidToken(string attack)
    {
        var token = Forge(attack);
        foreach (var (path, tenant) in new[] { ("/api/v1/query?query=hm_metric", "acme"), ("/admin/v1/tenants", (string?)null) })
        {
            using var request = fixture.Request(HttpMethod.Get, path, new AuthenticationHeaderValue("Bearer", token), tenant);
            var (answer, forwarded) = await fixture.Upstream.WatchAsync(async () =>
            {
                using var response = await fixture.Client.SendAsync(request);
                Assert.NotEmpty(response.Headers.WwwAuthenticate);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            });
            PrometheusAnswer.AssertError(answer, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Empty(forwarded);
        }
    }

    [Fact]
    public async Task Refuses401_WhenABadBearerIsFollowedByAValidTokenHeader()
    {
        using var request = fixture.Request(HttpMethod.Get, "/api/v1/query?query=hm_metric", new AuthenticationHeaderValue("Bearer", Forge("expired")), "acme");
        request.Headers.Add("X-Id-Token", fixture.Token("alice"));
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("cookie")]
    [InlineData("other-header")]
    [InlineData("lowercase-scheme-twice")]
    public async Task Refuses401_ForValidTokenOutsideTheConfiguredPlaces(string where)
    {
        var token = fixture.Token("alice");
        var path = "/api/v1/query?query=hm_metric" + (where == "query" ? "&access_token=" + token : "");
        using var request = fixture.Request(HttpMethod.Get, path, null, "acme");
        switch (where)
        {
            case "cookie": request.Headers.Add("Cookie", "access_token=" + token); break;
            case "other-header": request.Headers.Add("X-Access-Token", token); break;
            case "lowercase-scheme-twice": request.Headers.TryAddWithoutValidation("Authorization", ["bearer " + token, "bearer " + token]); break;
        }
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(forwarded);
    }

    [Theory]
    [InlineData(AdversarialFixture.WriterUser, "wrong password")]
    [InlineData("nobody", AdversarialFixture.WriterPassword)]
    [InlineData(AdversarialFixture.WriterUser + "\u0000", AdversarialFixture.WriterPassword)]
    [InlineData(AdversarialFixture.WriterUser, "")]
    public async Task Refuses401_ForBadBasicCredentials(string user, string password)
    {
        using var request = fixture.Request(HttpMethod.Post, "/api/v1/push", new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password))), "acme");
        request.Content = new ByteArrayContent([1, 2, 3]);
        var (answer, forwarded) = await fixture.Upstream.WatchAsync(() => fixture.SendAsync(request));
        PrometheusAnswer.AssertError(answer, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(forwarded);
    }

    [Fact]
    public async Task FetchesJwksBoundedTimes_DuringUnknownKidFlood()
    {
        // Warm: a valid token has caused the initial fetch already (the fixture's policy writes).
        var before = fixture.Jwks.Requests;
        Assert.True(before >= 1);
        var attacker = TestSigningKey.Rsa();
        var tasks = Enumerable.Range(0, 300).Select(async i =>
        {
            var token = TestSigningKey.Forge(new { alg = "RS256", kid = "flood-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                Claims("root"), attacker.SignRaw);
            using var request = fixture.Request(HttpMethod.Get, "/api/v1/query?query=hm_metric", new AuthenticationHeaderValue("Bearer", token), "acme");
            return (await fixture.SendAsync(request)).Status;
        });
        var statuses = await Task.WhenAll(tasks);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // jwks_min_refresh_interval is 1h: at most one refetch for the whole flood.
        Assert.InRange(fixture.Jwks.Requests - before, 0, 1);
        // Valid tokens still work.
        PrometheusAnswer.AssertSeries(await fixture.QueryAsync("alice", "vector(1)"));
    }
}
