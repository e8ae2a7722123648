using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Heimdall.AspNetCore.Authentication;
using Heimdall.Core.Identity;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.AspNetCore.Authentication;

/// <summary>The 401 path and the identity through a real Kestrel host using <see cref="HttpAuthentication"/>.</summary>
public sealed class HttpAuthenticationTests : IAsyncLifetime
{
    private static readonly TestSigningKey s_key = TestSigningKey.Rsa();
    private LoopbackServer? _server;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(
            app => app.MapGet("/whoami", async (HttpContext context) =>
            {
                var result = await HttpAuthentication.AuthenticateAsync(context);
                if (!result.Succeeded)
                {
                    await HttpAuthentication.ChallengeAsync(context, result);
                    return;
                }
                await context.Response.WriteAsync(result.Identity!.User + " " + string.Join(",", result.Identity.Groups));
            }),
            services => services.AddHeimdallIdentity(new IdentityOptions
            {
                Jwt = new JwtOptions { InlineJwks = TestSigningKey.Jwks(s_key), Audiences = ["heimdall"] },
            }));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private Uri WhoAmI => new(_server!.Address, "/whoami");

    [Fact]
    public async Task ReturnsIdentity_ForValidToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            s_key.Mint(new Dictionary<string, object> { ["groups"] = new[] { "sre" } }, audience: "heimdall"));

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice sre", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Returns401WithChallengeAndPrometheusError_WithoutCredentials()
    {
        using var response = await _http.GetAsync(WhoAmI);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"heimdall\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.Equal("unauthorized", body.GetProperty("errorType").GetString());
        Assert.Equal("authentication failed: missing credentials", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Returns401WithReason_ForExpiredToken()
    {
        var token = s_key.Mint(audience: "heimdall", notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));
        using var request = new HttpRequestMessage(HttpMethod.Get, WhoAmI);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"heimdall\", error=\"invalid_token\", error_description=\"token expired\"",
            response.Headers.WwwAuthenticate.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("authentication failed: token expired", body, StringComparison.Ordinal);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Returns503_WhenNoSigningKeysCanBeLoaded()
    {
        int unusedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            unusedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var server = await LoopbackServer.StartAsync(
            app => app.MapGet("/whoami", async (HttpContext context) =>
            {
                var result = await HttpAuthentication.AuthenticateAsync(context);
                await HttpAuthentication.ChallengeAsync(context, result);
            }),
            services => services.AddHeimdallIdentity(new IdentityOptions
            {
                Jwt = new JwtOptions { JwksUrl = new Uri($"http://127.0.0.1:{unusedPort}/jwks"), Audiences = ["heimdall"] },
            }));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "/whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s_key.Mint(audience: "heimdall"));

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.NotNull(response.Headers.RetryAfter);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", body.GetProperty("errorType").GetString());
        Assert.Equal("authentication unavailable: signing keys unavailable", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Returns401_ForRepeatedAuthorizationHeader()
    {
        // Two separate header lines: only a raw request can send them (HttpClient folds them into one).
        var token = s_key.Mint(audience: "heimdall");
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _server!.Address.Port);
        var stream = client.GetStream();
        var request = $"GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 401", response, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Bearer realm=\"heimdall\"", response, StringComparison.Ordinal);
        Assert.Contains("authentication failed: Authorization header given more than once", response, StringComparison.Ordinal);
    }
}
