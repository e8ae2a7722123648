using System.Net;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// The identity provider's JWKS endpoint goes down after the gateway loaded its keys: tokens signed with a cached key
/// keep validating (the key source keeps its last good set when a refresh fails), each only while the token itself is
/// valid, and the keys themselves only until <c>jwt.jwks_max_age</c> has passed without a successful fetch; a key the
/// gateway never saw cannot be fetched and is refused.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class JwksFaultTests(FaultsFixture fixture)
{
    /// <summary>The token cache is off (<c>jwt.cache_size: 0</c>): every request checks the signature against the cached keys.</summary>
    [Theory]
    [InlineData("stopped")]
    [InlineData("answering 503")]
    public async Task CachedKeysKeepValidating_UntilTokensExpire_WhenJwksEndpointIsDown(string outage)
    {
        var known = TestSigningKey.Rsa(kid: "known");
        var unknown = TestSigningKey.Ec(kid: "rotated-in");
        var jwks = await JwksServer.StartAsync(known);
        var stopped = false;
        try
        {
            await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, fixture.Acme.Url, new()
            {
                ["jwt:jwks_refresh_interval"] = "1s",
                ["jwt:jwks_min_refresh_interval"] = "1s",
                ["jwt:cache_size"] = "0",
                ["jwt:clock_skew"] = "0s",
            }));
            (await gateway.SendAsync(gateway.Query(FaultGateway.Token(known), "acme", fixture.Time))).AssertOnlyProd();
            Assert.True(jwks.Requests >= 1);
            var shortLived = FaultGateway.Token(known, ttl: TimeSpan.FromSeconds(2));

            if (outage == "stopped")
            {
                await jwks.DisposeAsync();
                stopped = true;
            }
            else
            {
                jwks.Failing = true;
            }
            var before = jwks.Requests;

            // Past the refresh interval, several times over: every refresh fails, the cached key keeps validating.
            var deadline = DateTime.UtcNow.AddSeconds(3);
            while (DateTime.UtcNow < deadline)
            {
                (await gateway.SendAsync(gateway.Query(FaultGateway.Token(known), "acme", fixture.Time))).AssertOnlyProd();
                await Task.Delay(250);
            }
            if (outage != "stopped")
            {
                Assert.True(jwks.Requests > before, "the gateway tried to refresh its keys while the endpoint failed");
            }

            // A key the gateway never saw cannot be fetched: refused.
            var stranger = await gateway.SendAsync(gateway.Query(FaultGateway.Token(unknown), "acme", fixture.Time));
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.Status);
            Assert.Contains("unknown signing key", stranger.Error, StringComparison.Ordinal);

            // A cached key validates a token only while the token is valid: the short-lived one has expired meanwhile.
            var expired = await gateway.SendAsync(gateway.Query(shortLived, "acme", fixture.Time));
            Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
            Assert.Contains("expired", expired.Error, StringComparison.Ordinal);

            if (outage != "stopped")
            {
                // The endpoint recovers with a rotated key set: the new key is fetched on first sight and works.
                jwks.Serve(known, unknown);
                jwks.Failing = false;
                var deadlineBack = DateTime.UtcNow.AddSeconds(30);
                FaultGateway.Answer answer;
                while ((answer = await gateway.SendAsync(gateway.Query(FaultGateway.Token(unknown), "acme", fixture.Time))).Status != HttpStatusCode.OK)
                {
                    Assert.True(DateTime.UtcNow < deadlineBack, answer.Text);
                    await Task.Delay(250);
                }
                answer.AssertOnlyProd();
            }
        }
        finally
        {
            if (!stopped)
            {
                await jwks.DisposeAsync();
            }
        }
    }

    /// <summary>The token cache is on: a token validated before the outage is not served from it once the keys expired.</summary>
    [Fact]
    public async Task CachedKeysExpire_AfterJwksMaxAge_AndRecover_WhenEndpointAnswersAgain()
    {
        var key = TestSigningKey.Rsa(kid: "known");
        await using var jwks = await JwksServer.StartAsync(key);
        await using var gateway = await FaultGateway.StartAsync(FaultGateway.BaseSettings(jwks, fixture.Acme.Url, new()
        {
            ["jwt:jwks_refresh_interval"] = "1s",
            ["jwt:jwks_min_refresh_interval"] = "1s",
            ["jwt:jwks_max_age"] = "3s",
        }));
        var cached = FaultGateway.Token(key);
        (await gateway.SendAsync(gateway.Query(cached, "acme", fixture.Time))).AssertOnlyProd();

        jwks.Failing = true;
        var deadline = DateTime.UtcNow.AddSeconds(45);
        FaultGateway.Answer answer;
        while ((answer = await gateway.SendAsync(gateway.Query(cached, "acme", fixture.Time))).Status == HttpStatusCode.OK)
        {
            answer.AssertOnlyProd();
            Assert.True(DateTime.UtcNow < deadline, "the keys never expired");
            await Task.Delay(250);
        }
        // The keys are too old to trust and none can be fetched: the check itself is unavailable (503, not 401).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Contains("signing keys unavailable", answer.Error, StringComparison.Ordinal);
        var fresh = await gateway.SendAsync(gateway.Query(FaultGateway.Token(key), "acme", fixture.Time));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fresh.Status);

        // The endpoint answers again: the keys are fetched on the next request due and the same tokens work.
        jwks.Failing = false;
        deadline = DateTime.UtcNow.AddSeconds(45);
        while ((answer = await gateway.SendAsync(gateway.Query(cached, "acme", fixture.Time))).Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, answer.Text);
            await Task.Delay(250);
        }
        answer.AssertOnlyProd();
    }
}
