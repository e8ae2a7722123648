using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Policy;
using Heimdall.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Heimdall.Tests.Bundles;

/// <summary>A real Kestrel server on 127.0.0.1 serving <c>MapHeimdallBundles()</c> from an in-memory provider.</summary>
internal sealed class BundleServerHost : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private BundleServerHost(LoopbackServer server, InMemoryPolicySnapshotProvider provider)
    {
        _server = server;
        Provider = provider;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri Url => _server.Address;

    public InMemoryPolicySnapshotProvider Provider { get; }

    public HttpClient Client { get; }

    public static async Task<BundleServerHost> StartAsync(BundleEndpointOptions options, PolicySnapshot? snapshot = null)
    {
        var provider = new InMemoryPolicySnapshotProvider(snapshot);
        var server = await LoopbackServer.StartAsync(
            map: app => app.MapHeimdallBundles(),
            services: services =>
            {
                services.AddSingleton<IPolicySnapshotProvider>(provider);
                services.AddHeimdallBundles(options);
            });
        return new BundleServerHost(server, provider);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
