using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Heimdall.Core.Identity;
using Heimdall.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Heimdall.Tests.Identity;

/// <summary>
/// End to end against a real OpenID provider: <c>oidc-provider</c> (npm, Heimdall.Tests/oidc) issues JWT access tokens
/// through client credentials; Heimdall validates them through the JWKS URL the provider's discovery document names.
/// </summary>
public sealed class OidcProviderTests : IClassFixture<OidcProviderTests.Provider>
{
    private const string Resource = "urn:heimdall:test";
    private readonly Provider _provider;

    public OidcProviderTests(Provider provider) => _provider = provider;

    [Theory]
    [InlineData("heimdall-rs", "RS256")]
    [InlineData("heimdall-es", "ES256")]
    public async Task Accepts_ClientCredentialsAccessToken(string clientId, string alg)
    {
        var discovery = await _provider.GetJsonAsync("/.well-known/openid-configuration");
        var authenticator = AuthenticatorFactory.Create(new IdentityOptions
        {
            Jwt = new JwtOptions
            {
                JwksUrl = new Uri(discovery.GetProperty("jwks_uri").GetString()!),
                Issuer = discovery.GetProperty("issuer").GetString(),
                Audiences = [Resource],
                TenantClaims = ["namespaces"],
            },
        }, NullLoggerFactory.Instance);
        var token = await _provider.ClientCredentialsTokenAsync(clientId);
        Assert.Equal(alg, new JsonWebToken(token).Alg);

        var result = await authenticator.AuthenticateAsync(new AuthenticationRequest
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer " + token },
        });

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(clientId, result.Identity!.User);
        Assert.Equal(["sre", clientId], result.Identity.Groups);
        Assert.Equal(["acme", "globex"], result.Identity.Tenants);
        Assert.Equal("metrics:read", result.Identity.Claims["scope"].GetString());
    }

    [Fact]
    public async Task Refuses_ProviderToken_ForAnotherAudience()
    {
        var discovery = await _provider.GetJsonAsync("/.well-known/openid-configuration");
        var authenticator = AuthenticatorFactory.Create(new IdentityOptions
        {
            Jwt = new JwtOptions { JwksUrl = new Uri(discovery.GetProperty("jwks_uri").GetString()!), Audiences = ["urn:other"] },
        }, NullLoggerFactory.Instance);
        var token = await _provider.ClientCredentialsTokenAsync("heimdall-rs");

        var result = await authenticator.AuthenticateAsync(new AuthenticationRequest
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = "Bearer " + token },
        });

        Assert.Equal("wrong audience", result.FailureReason);
    }

    /// <summary>Starts <c>node Heimdall.Tests/oidc/server.mjs</c> on a free loopback port; fails clearly when node or its packages are missing.</summary>
    public sealed class Provider : IAsyncLifetime
    {
        private const string Secret = "heimdall-test-secret";
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
        private Process? _process;
        private Uri? _issuer;

        public async Task InitializeAsync()
        {
            var directory = RepoPaths.Combine("Heimdall.Tests", "oidc");
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
            {
                throw new InvalidOperationException($"oidc-provider is not installed: run `bash scripts/setup.sh` (npm ci in {directory})");
            }
            var psi = new ProcessStartInfo("node", ["server.mjs", "0"])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.Environment["OIDC_CLIENT_SECRET"] = Secret;
            try
            {
                _process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("node is not installed: run `bash scripts/setup.sh`", e);
            }
            var stderr = new StringBuilder();
            _process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            _process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (_issuer is null)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("oidc-provider exited: " + stderr);
                if (line.StartsWith('{'))
                {
                    _issuer = new Uri(JsonDocument.Parse(line).RootElement.GetProperty("issuer").GetString()!);
                }
            }
        }

        public async Task<JsonElement> GetJsonAsync(string path) =>
            JsonDocument.Parse(await _http.GetStringAsync(new Uri(_issuer!, path))).RootElement.Clone();

        public async Task<string> ClientCredentialsTokenAsync(string clientId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_issuer!, "/token"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["scope"] = "metrics:read",
                    ["resource"] = Resource,
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{clientId}:{Secret}")));
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        }

        public async Task DisposeAsync()
        {
            _http.Dispose();
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process?.Dispose();
        }
    }
}
