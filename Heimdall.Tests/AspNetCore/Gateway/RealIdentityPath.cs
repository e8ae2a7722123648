using Heimdall.Core.Identity.Basic;
using Heimdall.Core.Policy;
using Heimdall.Core.Storage;
using Heimdall.Tests.Common;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// The real identity path for gateway hosts: RS256 tokens checked against a loopback JWKS (users send
/// <c>Authorization: Bearer</c> tokens minted per request), a basic-auth users file (for promtool, which can only send
/// user info), and policies in a SQLite store read by the built-in evaluator behind the decision cache.
/// </summary>
internal sealed class RealIdentityPath : IAsyncDisposable
{
    public const string Issuer = "https://idp.heimdall.test/";
    public const string Audience = "heimdall";

    /// <summary>The basic-auth password of every user in the users file.</summary>
    public const string Password = "x";

    private readonly string _directory;
    private readonly JwksServer _jwks;
    private readonly TestSigningKey _key;

    private RealIdentityPath(string directory, IPolicyStore store, JwksServer jwks, TestSigningKey key)
    {
        _directory = directory;
        Store = store;
        _jwks = jwks;
        _key = key;
    }

    /// <summary>The store the hosts read (tests change policies through it).</summary>
    public IPolicyStore Store { get; }

    private string Database => Path.Combine(_directory, "heimdall.db");

    private string UsersFile => Path.Combine(_directory, "users.yaml");

    /// <summary>Creates the store with <paramref name="tenants"/> and <paramref name="policies"/>, the JWKS server and the users file for <paramref name="users"/>.</summary>
    public static async Task<RealIdentityPath> StartAsync(string[] tenants, AccessPolicy[] policies, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("heimdall-gateway-real-").FullName;
        var store = PolicyStores.Create(new PolicyStoreOptions { Driver = "sqlite", Dsn = Path.Combine(directory, "heimdall.db") });
        await store.MigrateAsync();
        var applied = await store.ApplyAsync(
            [.. tenants.Select(t => PolicyChange.CreateTenant(new Tenant { Id = t })), .. policies.Select(PolicyChange.CreatePolicy)]);
        if (!applied.Succeeded)
        {
            throw new InvalidOperationException("could not seed the policy store: " + applied);
        }
        var hash = PasswordHasher.HashBcrypt(Password, 4);
        await File.WriteAllTextAsync(Path.Combine(directory, "users.yaml"),
            "users:\n" + string.Concat(users.Select(u => $"  - name: {u}\n    password_hash: \"{hash}\"\n")));
        var key = TestSigningKey.Rsa();
        var jwks = await JwksServer.StartAsync(key);
        return new RealIdentityPath(directory, store, jwks, key);
    }

    /// <summary>Starts a gateway host with <paramref name="settings"/> (the upstream, federation, limits) on this identity path.</summary>
    public Task<GatewayHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["jwt:jwks_url"] = _jwks.JwksUrl.ToString(),
            ["jwt:issuer"] = Issuer,
            ["jwt:audience"] = Audience,
            ["basic_auth:users_file"] = UsersFile,
            ["database:driver"] = "sqlite",
            ["database:dsn"] = Database,
            ["database:poll_interval"] = "200ms",
            // Long enough that only a revision change can explain a changed decision within a test.
            ["authz:cache:ttl"] = "1h",
        };
        return GatewayHost.StartRealAsync(all, _key, Issuer, Audience);
    }

    /// <summary>An allow policy for <paramref name="action"/> on <paramref name="tenants"/>' metrics, ANDing <paramref name="filters"/>.</summary>
    public static AccessPolicy Allow(string name, string user, string action, string[] tenants, params string[] filters) => new()
    {
        Name = name,
        Effect = PolicyEffects.Allow,
        Subjects = [new PolicySubject { Type = PolicySubjectTypes.User, Id = user }],
        Actions = [action],
        Scope = new PolicyScope { Tenants = tenants, Resources = ["metrics"] },
        Filters = filters,
    };

    public async ValueTask DisposeAsync()
    {
        await _jwks.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
