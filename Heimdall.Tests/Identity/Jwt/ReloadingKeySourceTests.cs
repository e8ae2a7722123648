using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Jwt;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heimdall.Tests.Identity.Jwt;

/// <summary>
/// Cached JWKS keys while the endpoint (a real loopback server) fails, on a manual clock: they serve until
/// <c>jwt.jwks_max_age</c> after the last successful fetch, then every token is refused, cached validations included,
/// until a fetch succeeds again.
/// </summary>
public sealed class ReloadingKeySourceTests
{
    private const string Issuer = "https://idp.example";
    private const string Audience = "heimdall";

    [Fact]
    public async Task CachedKeysExpire_AfterMaxAge_AndRecover_WhenFetchSucceedsAgain()
    {
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        var clock = new ManualClock();
        var options = new JwtOptions
        {
            JwksUrl = jwks.JwksUrl,
            Issuer = Issuer,
            Audiences = [Audience],
            JwksRefreshInterval = TimeSpan.FromMinutes(1),
            JwksMinRefreshInterval = TimeSpan.FromMinutes(1),
            JwksMaxAge = TimeSpan.FromMinutes(10),
        };
        var source = AuthenticatorFactory.CreateKeySource(options, NullLoggerFactory.Instance, null, clock);
        var authenticator = new JwtAuthenticator(options, source, clock, NullLogger.Instance);
        var cached = key.Mint(issuer: Issuer, audience: Audience);
        Assert.True((await authenticator.AuthenticateAsync(cached, default)).Succeeded);

        jwks.Failing = true;
        clock.Advance(TimeSpan.FromMinutes(9));
        var fresh = await authenticator.AuthenticateAsync(key.Mint(issuer: Issuer, audience: Audience, sub: "bob"), default);
        Assert.True(fresh.Succeeded, fresh.FailureReason);
        Assert.True((await authenticator.AuthenticateAsync(cached, default)).Succeeded);
        await WaitForLoadsAsync(source, 2); // the background refresh due at 9 min fails

        clock.Advance(TimeSpan.FromMinutes(2)); // 11 min after the last successful fetch
        var expired = await authenticator.AuthenticateAsync(cached, default);
        Assert.Equal("signing keys unavailable", expired.FailureReason);
        var another = await authenticator.AuthenticateAsync(key.Mint(issuer: Issuer, audience: Audience, sub: "carol"), default);
        Assert.Equal("signing keys unavailable", another.FailureReason);

        jwks.Failing = false;
        clock.Advance(TimeSpan.FromMinutes(1));
        var back = await authenticator.AuthenticateAsync(cached, default);
        Assert.True(back.Succeeded, back.FailureReason);
    }

    [Fact]
    public async Task CachedKeysServeIndefinitely_WhenMaxAgeIsZero()
    {
        var key = TestSigningKey.Rsa();
        await using var jwks = await JwksServer.StartAsync(key);
        var clock = new ManualClock();
        var options = new JwtOptions
        {
            JwksUrl = jwks.JwksUrl,
            Issuer = Issuer,
            Audiences = [Audience],
            JwksRefreshInterval = TimeSpan.FromMinutes(1),
            JwksMinRefreshInterval = TimeSpan.FromMinutes(1),
            JwksMaxAge = TimeSpan.Zero,
        };
        var source = AuthenticatorFactory.CreateKeySource(options, NullLoggerFactory.Instance, null, clock);
        var authenticator = new JwtAuthenticator(options, source, clock, NullLogger.Instance);
        Assert.True((await authenticator.AuthenticateAsync(key.Mint(issuer: Issuer, audience: Audience), default)).Succeeded);

        jwks.Failing = true;
        clock.Advance(TimeSpan.FromDays(30));
        var result = await authenticator.AuthenticateAsync(key.Mint(issuer: Issuer, audience: Audience, sub: "bob"), default);
        Assert.True(result.Succeeded, result.FailureReason);
    }

    private static async Task WaitForLoadsAsync(ISigningKeySource source, int loads)
    {
        var reloading = (ReloadingKeySource)source;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (reloading.Loads < loads || reloading.Loading)
        {
            Assert.True(DateTime.UtcNow < deadline, "the refresh never ran");
            await Task.Delay(50);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
