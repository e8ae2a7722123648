using System.Net;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.Hardening.Faults;

/// <summary>
/// The identity provider's JWKS endpoint goes down after the gateway loaded its keys: tokens signed with a cached key
/// keep validating (the key source keeps its last good set when a refresh fails, as <c>ReloadingKeySource</c>
/// documents), each only until the token itself expires; a key the gateway never saw cannot be fetched and is refused.
/// The token cache is off (<c>jwt.cache_size: 0</c>), so every request checks the signature against the cached keys.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class JwksFaultTests(FaultsFixture fixture)
{
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
            var shortLived = FaultGateway.Token(known, ttl: TimeSpan.FromSeconds(3));

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
            var deadline = DateTime.UtcNow.AddSeconds(4);
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
}
