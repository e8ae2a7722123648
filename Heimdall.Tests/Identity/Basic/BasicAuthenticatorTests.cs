using System.Text;
using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Basic;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heimdall.Tests.Identity.Basic;

public sealed class BasicAuthenticatorTests : IDisposable
{
    private static readonly string s_bcrypt = PasswordHasher.HashBcrypt("prom-secret", 4);
    private static readonly string s_pbkdf2 = PasswordHasher.HashPbkdf2("grafana-secret", 10_000);

    private readonly string _path = Path.Combine(Path.GetTempPath(), "heimdall-users-" + Guid.NewGuid().ToString("N") + ".yaml");

    public BasicAuthenticatorTests() => File.WriteAllText(_path, UsersYaml(s_bcrypt));

    public void Dispose() => File.Delete(_path);

    private static string UsersYaml(string promHash) => $"""
        users:
          - name: prom
            password_hash: "{promHash}"
            groups: [writers, metrics]
          - name: grafana
            password_hash: "{s_pbkdf2}"
        """;

    private static string Encode(string userAndPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private BasicAuthenticator Create() => new(_path, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public void Accepts_BcryptAndPbkdf2Users()
    {
        var authenticator = Create();

        var prom = authenticator.Authenticate(Encode("prom:prom-secret"));
        var grafana = authenticator.Authenticate(Encode("grafana:grafana-secret"));

        Assert.True(prom.Succeeded, prom.FailureReason);
        Assert.Equal("prom", prom.Identity!.User);
        Assert.Equal(["writers", "metrics"], prom.Identity.Groups);
        Assert.Equal("basic", prom.Identity.Method);
        Assert.Null(prom.Identity.Tenants);
        Assert.True(grafana.Succeeded, grafana.FailureReason);
        Assert.Empty(grafana.Identity!.Groups);
        Assert.Same(prom, authenticator.Authenticate(Encode("prom:prom-secret")));
    }

    [Theory]
    [InlineData("prom:wrong", "invalid user name or password")]
    [InlineData("prom:", "invalid user name or password")]
    [InlineData("nobody:prom-secret", "invalid user name or password")]
    [InlineData("grafana:prom-secret", "invalid user name or password")]
    [InlineData("prom-secret", "malformed basic credentials")]
    [InlineData(":prom-secret", "malformed basic credentials")]
    public void Refuses_BadCredentials(string credentials, string reason)
    {
        var result = Create().Authenticate(Encode(credentials));

        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.FailureReason);
        Assert.Equal("Basic realm=\"heimdall\", charset=\"UTF-8\"", result.Challenge);
    }

    [Theory]
    [InlineData("!!not base64!!")]
    [InlineData("")]
    [InlineData("/w==")]
    public void Refuses_MalformedEncoding(string encoded)
    {
        Assert.Equal("malformed basic credentials", Create().Authenticate(encoded).FailureReason);
    }

    [Fact]
    public async Task ReloadsUsersFile_WhenItChanges()
    {
        var authenticator = Create();
        Assert.True(authenticator.Authenticate(Encode("prom:prom-secret")).Succeeded);

        await File.WriteAllTextAsync(_path, UsersYaml(PasswordHasher.HashBcrypt("rotated", 4)));
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddSeconds(5));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!authenticator.Authenticate(Encode("prom:rotated")).Succeeded && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(authenticator.Authenticate(Encode("prom:rotated")).Succeeded);
        // The old password was cached before the reload; the cache does not outlive the file it came from.
        Assert.False(authenticator.Authenticate(Encode("prom:prom-secret")).Succeeded);
    }

    [Fact]
    public void RefusesUsersFile_WithEveryProblemListed()
    {
        var yaml = """
            users:
              - name: a
                password_hash: "plaintext"
              - name: b
                password_hash: "pbkdf2-sha256$100$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=="
              - name: ""
                password_hash: "$2b$04$abcdefghijklmnopqrstuu"
            """;
        var e = Assert.Throws<InvalidDataException>(() => UsersFile.Parse(yaml, "users.yaml"));
        Assert.Contains("users[0].password_hash (a): unsupported password hash", e.Message, StringComparison.Ordinal);
        Assert.Contains("users[1].password_hash (b): malformed PBKDF2 hash", e.Message, StringComparison.Ordinal);
        Assert.Contains("users[2].name: required", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users:\n  - name: a\n    password: secret\n")]
    [InlineData("users:\n  - {name: a, password_hash: \"$2b$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345\"}\n  - {name: a, password_hash: \"$2b$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345\"}\n")]
    [InlineData("users: [")]
    public void RefusesUsersFile_PlaintextDuplicatesOrBrokenYaml(string yaml)
    {
        Assert.Throws<InvalidDataException>(() => UsersFile.Parse(yaml, "users.yaml"));
    }

    [Fact]
    public void PasswordHasher_VerifiesOnlyTheRightPassword()
    {
        Assert.True(PasswordHasher.Verify("pw", PasswordHasher.HashPbkdf2("pw", 10_000)));
        Assert.False(PasswordHasher.Verify("pW", PasswordHasher.HashPbkdf2("pw", 10_000)));
        Assert.True(PasswordHasher.Verify("pw", PasswordHasher.HashBcrypt("pw", 4)));
        Assert.False(PasswordHasher.Verify("pw2", PasswordHasher.HashBcrypt("pw", 4)));
        Assert.Null(PasswordHasher.Check(PasswordHasher.HashPbkdf2("pw", 10_000)));
        Assert.NotNull(PasswordHasher.Check("pw"));
    }
}
