using Heimdall.AspNetCore.Configuration;
using Heimdall.AspNetCore.Gateway;
using Heimdall.AspNetCore.RemoteWrite;
using Heimdall.Core.Federation;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Heimdall.AspNetCore.DependencyInjection;

/// <summary>Registers the gateway's services (each with <c>TryAdd</c>, so a host can replace any of them).</summary>
internal static class GatewayServiceRegistration
{
    public static void AddGateway(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new GatewayMarker(configuration.GetSection("mimir").Exists()));
        // HeimdallGatewayOptions: the instance AddHeimdall bound and validated (registered when a mimir section exists).
        services.TryAddSingleton(sp => sp.GetRequiredService<HeimdallGatewayOptions>().Upstream);
        services.TryAddSingleton(sp => sp.GetRequiredService<HeimdallGatewayOptions>().Fanout);
        services.TryAddSingleton(sp => sp.GetRequiredService<HeimdallGatewayOptions>().Federation);
        services.TryAddSingleton(sp => sp.GetRequiredService<HeimdallGatewayOptions>().Limits);
        services.TryAddSingleton(sp => new UpstreamClient(sp.GetRequiredService<UpstreamOptions>()));
        services.TryAddSingleton(sp => new FanoutDispatcher(sp.GetRequiredService<UpstreamClient>(), sp.GetRequiredService<FanoutOptions>(),
            sp.GetRequiredService<ILogger<FanoutDispatcher>>()));
        services.TryAddSingleton(sp => new TenantAuthorizer(sp.GetRequiredService<IPolicyEvaluator>(), sp.GetService<IPolicySnapshotProvider>()));
        services.TryAddSingleton<IQueryRewriter>(new PromQLQueryRewriter());
        services.TryAddSingleton(sp =>
        {
            var upstream = sp.GetRequiredService<UpstreamClient>();
            return new RequestPlanner(sp.GetRequiredService<IQueryRewriter>(), sp.GetRequiredService<FederationOptions>(), upstream.HasOwnUrl);
        });
        services.AddHttpForwarder();
        services.TryAddSingleton<RemoteWriteForwarder>();
        services.TryAddSingleton<GatewayPipeline>();
        services.TryAddSingleton<ExplainEndpoint>();
    }
}

/// <summary>Whether the configuration has a <c>mimir</c> section, i.e. this host serves the Prometheus API.</summary>
internal sealed record GatewayMarker(bool Configured);
