using System.Text;
using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Basic;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heimdall.Tests.Identity;

public sealed class CompositeAuthenticatorTests : IDisposable
{
    private static readonly TestSigningKey s_key = TestSigningKey.Ec();
    private readonly string _users = Path.Combine(Path.GetTempPath(), "heimdall-users-" + Guid.NewGuid().ToString("N") + ".yaml");

    public CompositeAuthenticatorTests() =>
        File.WriteAllText(_users, $"users:\n  - name: prom\n    password_hash: \"{PasswordHasher.HashBcrypt("pw", 4)}\"\n    groups: [writers]\n");

    public void Dispose() => File.Delete(_users);

    private IAuthenticator Create(bool basic = true, bool staticIdentity = false) => AuthenticatorFactory.Create(new IdentityOptions
    {
        Jwt = new JwtOptions { InlineJwks = TestSigningKey.Jwks(s_key), TokenHeaders = ["X-Id-Token", "Token"] },
        BasicAuth = basic ? new BasicAuthOptions { UsersFile = _users } : null,
        StaticIdentity = staticIdentity ? new StaticIdentityOptions { Enabled = true, User = "dev", Groups = ["admins"], Tenants = ["dev"] } : null,
    }, NullLoggerFactory.Instance);

    private static Task<AuthenticationResult> Run(IAuthenticator authenticator, params (string Name, string Value)[] headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }
        return authenticator.AuthenticateAsync(new AuthenticationRequest { Headers = map }).AsTask();
    }

    private static string Basic(string s) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData("Authorization", "Bearer {0}")]
    [InlineData("authorization", "bearer   {0}  ")]
    [InlineData("X-Id-Token", "{0}")]
    [InlineData("Token", "Bearer {0}")]
    public async Task Accepts_TokenFromConfiguredHeaders(string header, string format)
    {
        var result = await Run(Create(), (header, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, s_key.Mint(sub: "alice"))));

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("alice", result.Identity!.User);
    }

    [Fact]
    public async Task Accepts_BasicCredentials()
    {
        var result = await Run(Create(), ("Authorization", Basic("prom:pw")));

        Assert.Equal("prom", result.Identity?.User);
        Assert.Equal(["writers"], result.Identity?.Groups);
    }

    [Fact]
    public async Task PrefersAuthorization_OverTokenHeaders()
    {
        var result = await Run(Create(), ("Authorization", Basic("prom:pw")), ("X-Id-Token", s_key.Mint(sub: "alice")));
        Assert.Equal("prom", result.Identity?.User);
    }

    [Theory]
    [InlineData("Authorization", "Bearer a\nBearer b", "Authorization header given more than once")]
    [InlineData("X-Id-Token", "a\nb", "X-Id-Token header given more than once")]
    [InlineData("Authorization", "Digest abc", "unsupported authorization scheme")]
    [InlineData("Authorization", "Bearer", "empty bearer token")]
    [InlineData("Authorization", "Bearer not.a.token", "malformed token")]
    [InlineData("X-Id-Token", "Bearer ", "empty bearer token")]
    public async Task Refuses_BadCredentialHeaders(string header, string value, string reason)
    {
        var result = await Run(Create(staticIdentity: true), (header, value));

        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.FailureReason);
    }

    [Fact]
    public async Task Refuses_MissingCredentials_NamingEveryScheme()
    {
        var both = await Run(Create());
        var bearerOnly = await Run(Create(basic: false));
        var basicRefused = await Run(Create(basic: false), ("Authorization", Basic("prom:pw")));

        Assert.Equal("missing credentials", both.FailureReason);
        Assert.Equal("Bearer realm=\"heimdall\", Basic realm=\"heimdall\", charset=\"UTF-8\"", both.Challenge);
        Assert.Equal("Bearer realm=\"heimdall\"", bearerOnly.Challenge);
        Assert.Equal("basic authentication is not enabled", basicRefused.FailureReason);
    }

    [Fact]
    public async Task UsesStaticIdentity_OnlyWithoutCredentials()
    {
        var authenticator = Create(staticIdentity: true);

        var anonymous = await Run(authenticator, ("Accept", "application/json"));
        var badPassword = await Run(authenticator, ("Authorization", Basic("prom:wrong")));

        Assert.Equal("dev", anonymous.Identity?.User);
        Assert.Equal("static", anonymous.Identity?.Method);
        Assert.Equal(["dev"], anonymous.Identity?.Tenants);
        Assert.False(badPassword.Succeeded);
    }

    [Fact]
    public async Task LogsReason_AndWarnsOfStaticIdentity()
    {
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var authenticator = AuthenticatorFactory.Create(new IdentityOptions
        {
            Jwt = new JwtOptions { InlineJwks = TestSigningKey.Jwks(s_key), Audiences = ["heimdall"] },
            StaticIdentity = new StaticIdentityOptions { Enabled = true, User = "dev" },
        }, factory);
        var token = s_key.Mint(audience: "other");

        var result = await Run(authenticator, ("Authorization", "Bearer " + token));

        Assert.Equal("wrong audience", result.FailureReason);
        var warning = Assert.Single(logs.Entries, e => e.EventName == "StaticIdentityEnabled");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("dev", warning.State["User"]);
        var refused = Assert.Single(logs.Entries, e => e.EventName == "AuthenticationFailed");
        Assert.Equal("wrong audience", refused.State["Reason"]);
        Assert.Equal(s_key.KeyId, refused.State["KeyId"]);
        Assert.Equal("ES256", refused.State["Algorithm"]);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }
}
