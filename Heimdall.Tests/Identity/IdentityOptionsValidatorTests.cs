using Heimdall.Core.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Heimdall.Tests.Identity;

public sealed class IdentityOptionsValidatorTests
{
    [Fact]
    public void ReportsEveryError_AtOnce()
    {
        var options = new IdentityOptions
        {
            Jwt = new JwtOptions
            {
                JwksUrl = new Uri("http://idp.example/jwks"),
                HmacSecret = "short",
                Algorithms = ["none", "HS512", "XS1"],
                ClockSkew = TimeSpan.FromHours(1),
                JwksMaxAge = TimeSpan.FromMinutes(1),
                CacheSize = -1,
                UserClaims = [],
                TokenHeaders = ["Bad Header"],
            },
            BasicAuth = new BasicAuthOptions { UsersFile = "/nonexistent/users.yaml" },
            StaticIdentity = new StaticIdentityOptions { Enabled = true },
        };

        var errors = IdentityOptionsValidator.Validate(options);

        Assert.Equal(
        [
            "jwt: set exactly one of jwks_url, jwks_file, jwks, hmac_secret (found 2)",
            "jwt.jwks_url: must be an absolute https URL (http only on loopback)",
            "jwt.hmac_secret: must be at least 32 bytes",
            "jwt.algorithms: \"none\" is never accepted",
            "jwt.algorithms: HS512 needs a jwt.hmac_secret of at least 64 bytes",
            "jwt.algorithms: unsupported algorithm \"XS1\" (RS*, PS*, ES*, or HS* with hmac_secret)",
            "jwt.clock_skew: must be between 0 and 10m",
            "jwt.jwks_max_age: must be 0 (no limit) or at least jwt.jwks_refresh_interval",
            "jwt.cache_size: must not be negative",
            "jwt.user_claims: at least one claim, none empty",
            "jwt.token_headers: \"Bad Header\" is not a header name",
            "basic_auth.users_file: /nonexistent/users.yaml not found",
            "static_identity.user: required when static_identity.enabled is true",
        ], errors);
    }

    [Theory]
    [InlineData("https://idp.example/jwks")]
    [InlineData("http://127.0.0.1:8080/jwks")]
    [InlineData("http://localhost/jwks")]
    public void Accepts_ValidJwksUrl(string url)
    {
        Assert.Empty(IdentityOptionsValidator.Validate(new IdentityOptions { Jwt = new JwtOptions { JwksUrl = new Uri(url) } }));
    }

    [Fact]
    public void RequiresSomeMethod()
    {
        Assert.Equal(["identity: configure at least one of jwt, basic_auth or static_identity"],
            IdentityOptionsValidator.Validate(new IdentityOptions { StaticIdentity = new StaticIdentityOptions { User = "dev" } }));
    }

    [Fact]
    public void AddHeimdallIdentity_Throws_OnInvalidOptions()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            new ServiceCollection().AddHeimdallIdentity(new IdentityOptions { Jwt = new JwtOptions() }));
        Assert.Contains("jwt: set exactly one of jwks_url, jwks_file, jwks, hmac_secret (found 0)", e.Failures);
    }

    [Fact]
    public async Task AddHeimdallIdentity_RegistersAuthenticator()
    {
        var services = new ServiceCollection().AddLogging()
            .AddHeimdallIdentity(new IdentityOptions { StaticIdentity = new StaticIdentityOptions { Enabled = true, User = "dev", Groups = ["admins"] } });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IAuthenticator>().AuthenticateAsync(new AuthenticationRequest { Headers = new Dictionary<string, string>() });

        Assert.Equal("dev", result.Identity?.User);
        Assert.Equal("static", result.Identity?.Method);
        Assert.Equal(["admins"], result.Identity?.Groups);
    }
}
