using Heimdall.Core.Federation;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>
/// A real Kestrel host running <c>AddHeimdall(configuration)</c> and <c>MapHeimdall()</c>: either on the real identity
/// path (<see cref="StartRealAsync"/>: JWT validation against a JWKS URL, the policy store, the built-in evaluator and
/// its decision cache, all from configuration) or with the stand-ins of <see cref="StartAsync"/>, kept where a test
/// needs what the real parts cannot do on demand: decisions set per test without a store round trip, and an
/// evaluator that reports itself unavailable (fault injection).
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly Func<string, string> _token;
    private readonly TablePolicyEvaluator? _policy;

    private GatewayHost(LoopbackServer server, TablePolicyEvaluator? policy, Func<string, string>? token = null)
    {
        _server = server;
        _policy = policy;
        _token = token ?? (static user => user);
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Url => _server.Address;

    /// <summary>The stand-in evaluator (not on the real identity path).</summary>
    public TablePolicyEvaluator Policy => _policy ?? throw new InvalidOperationException("the real identity path has no stand-in evaluator");

    public IServiceProvider Services => _server.Services;

    public HttpClient Client { get; }

    public static async Task<GatewayHost> StartAsync(Dictionary<string, string?> settings)
    {
        var policy = new TablePolicyEvaluator();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var server = await LoopbackServer.StartAsync(services: services =>
        {
            services.AddSingleton<IAuthenticator, HeaderAuthenticator>();
            services.AddSingleton<IPolicyEvaluator>(policy);
            services.AddSingleton<IPolicySnapshotProvider>(new FixedSnapshotProvider("acme", "globex", "initech"));
            services.AddRouting();
            services.AddHeimdall(configuration);
        }, map: app => app.MapHeimdall());
        return new GatewayHost(server, policy);
    }

    /// <summary>
    /// A host on the real identity path: <paramref name="settings"/> configure <c>jwt</c>, <c>database</c> and the rest;
    /// requests carry a token <paramref name="key"/> signs for the user, with <paramref name="issuer"/> and <paramref name="audience"/>.
    /// </summary>
    public static async Task<GatewayHost> StartRealAsync(Dictionary<string, string?> settings, TestSigningKey key, string issuer, string audience)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var server = await LoopbackServer.StartAsync(services: services =>
        {
            services.AddRouting();
            services.AddHeimdall(configuration);
        }, map: app => app.MapHeimdall());
        return new GatewayHost(server, null, user => key.Mint(sub: user, issuer: issuer, audience: audience));
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? user = "alice", string? tenants = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _token(user));
        }
        if (tenants is not null)
        {
            request.Headers.TryAddWithoutValidation(TenantHeader.Name, tenants);
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
