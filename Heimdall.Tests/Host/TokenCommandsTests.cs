using Heimdall.Core.Identity;
using Heimdall.Core.Identity.Basic;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Heimdall.Tests.Host;

/// <summary><c>heimdall token ...</c> run as a process; minted tokens are validated by the real authenticator.</summary>
public sealed class TokenCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("heimdall-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, "RS256")]
    [InlineData("ES256", "ES256")]
    [InlineData("PS256", "PS256")]
    public async Task MintsTokens_TheAuthenticatorAccepts(string? alg, string expectedAlg)
    {
        var jwks = Path.Combine(_dir, "dev.jwks.json");
        var keygen = await HeimdallCliRunner.RunAsync(["token", "keygen", "--out", jwks, .. alg is null ? Array.Empty<string>() : ["--alg", alg]]);
        Assert.True(keygen.ExitCode == 0, keygen.StdErr);
        var kid = keygen.StdOut.Trim();
        Assert.Contains($"\"kid\": \"{kid}\"", await File.ReadAllTextAsync(jwks), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(jwks));
        }

        var mint = await HeimdallCliRunner.RunAsync(["token", "mint", "--jwks", jwks, "--sub", "alice", "--groups", "sre,dev", "--groups", "ops",
            "--tenants", "acme", "--iss", "https://dev.local", "--aud", "heimdall", "--ttl", "1h", "--claim", "level=3", "--claim", "team=core"]);
        Assert.True(mint.ExitCode == 0, mint.StdErr);
        var token = mint.StdOut.Trim();
        Assert.Equal(expectedAlg, new JsonWebToken(token).Alg);
        Assert.Equal(kid, new JsonWebToken(token).Kid);

        var authenticator = AuthenticatorFactory.Create(new IdentityOptions
        {
            Jwt = new JwtOptions { JwksFile = jwks, Issuer = "https://dev.local", Audiences = ["heimdall"], TenantClaims = ["namespaces"] },
        }, NullLoggerFactory.Instance);
        var result = await authenticator.AuthenticateAsync(new AuthenticationRequest
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer " + token },
        });

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("alice", result.Identity!.User);
        Assert.Equal(["sre", "dev", "ops"], result.Identity.Groups);
        Assert.Equal(["acme"], result.Identity.Tenants);
        Assert.Equal(3, result.Identity.Claims["level"].GetInt32());
        Assert.Equal("core", result.Identity.Claims["team"].GetString());
        Assert.InRange(result.Identity.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Theory]
    [InlineData("bcrypt")]
    [InlineData("pbkdf2")]
    public async Task HashesPassword_FromStandardInput(string algorithm)
    {
        var result = await HeimdallCliRunner.RunAsync(["token", "hash-password", "--algorithm", algorithm, "--cost", "4"], stdin: "s3cret\n");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var hash = result.StdOut.Trim();
        Assert.Null(PasswordHasher.Check(hash));
        Assert.True(PasswordHasher.Verify("s3cret", hash));
        Assert.False(PasswordHasher.Verify("s3cret2", hash));
    }

    [Theory]
    [InlineData("--ttl", "soon", "--ttl")]
    [InlineData("--jwks", "/nonexistent.json", "--jwks")]
    public async Task RefusesMint_WithBadArguments(string option, string value, string message)
    {
        var jwks = Path.Combine(_dir, "k.json");
        Assert.Equal(0, (await HeimdallCliRunner.RunAsync(["token", "keygen", "--out", jwks, "--alg", "ES256"])).ExitCode);
        string[] args = option == "--jwks" ? ["token", "mint", "--jwks", value, "--sub", "a"] : ["token", "mint", "--jwks", jwks, "--sub", "a", option, value];

        var result = await HeimdallCliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task RefusesKeygen_ForUnsupportedAlgorithm()
    {
        var result = await HeimdallCliRunner.RunAsync(["token", "keygen", "--out", Path.Combine(_dir, "x.json"), "--alg", "HS256"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unsupported algorithm", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
    }
}
