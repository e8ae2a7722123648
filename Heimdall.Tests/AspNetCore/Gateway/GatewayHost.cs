using Heimdall.Core.Federation;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.AspNetCore.Gateway;

/// <summary>A real Kestrel host running <c>AddHeimdall(configuration)</c> and <c>MapHeimdall()</c>.</summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private GatewayHost(LoopbackServer server, TablePolicyEvaluator policy)
    {
        _server = server;
        Policy = policy;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Url => _server.Address;

    public TablePolicyEvaluator Policy { get; }

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

    public HttpRequestMessage Request(HttpMethod method, string path, string? user = "alice", string? tenants = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + user);
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
