using System.Net;
using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heimdall.Tests.Bundles;

/// <summary>A real Kestrel server on 127.0.0.1 serving <c>MapHeimdallBundles()</c> from an in-memory provider.</summary>
internal sealed class BundleServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BundleServerHost(WebApplication app, Uri url, InMemoryPolicySnapshotProvider provider)
    {
        _app = app;
        Url = url;
        Provider = provider;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri Url { get; }

    public InMemoryPolicySnapshotProvider Provider { get; }

    public HttpClient Client { get; }

    public static async Task<BundleServerHost> StartAsync(BundleEndpointOptions options, PolicySnapshot? snapshot = null)
    {
        var provider = new InMemoryPolicySnapshotProvider(snapshot);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IPolicySnapshotProvider>(provider);
        builder.Services.AddHeimdallBundles(options);
        var app = builder.Build();
        app.MapHeimdallBundles();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BundleServerHost(app, new Uri(address), provider);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
