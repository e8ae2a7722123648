using Heimdall.AspNetCore.Gateway;
using Heimdall.AspNetCore.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Heimdall's endpoints.</summary>
public static class HeimdallEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the Prometheus API (under <c>/api/v1/</c> and <c>/prometheus/api/v1/</c>, plus <c>/federate</c>; an
    /// allow-list, anything else under those prefixes is a JSON 404/405), <c>/heimdall/v1/explain</c>, and the admin
    /// endpoints of Heimdall. Throws at startup when the gateway configuration is invalid, listing every error.
    /// Without a <c>mimir</c> section (a replica serving only the admin API and bundles) the Prometheus API is not mapped.
    /// </summary>
    public static IEndpointConventionBuilder MapHeimdall(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("");
        Heimdall.AspNetCore.Admin.AdminEndpoints.MapHeimdallAdmin(group);
        if (endpoints.ServiceProvider.GetService<Heimdall.AspNetCore.DependencyInjection.GatewayMarker>() is not { Configured: true })
        {
            return group;
        }
        _ = endpoints.ServiceProvider.GetRequiredService<HeimdallGatewayOptions>(); // refuse to start on invalid configuration
        var pipeline = endpoints.ServiceProvider.GetRequiredService<GatewayPipeline>();
        var explain = endpoints.ServiceProvider.GetRequiredService<ExplainEndpoint>();
        RequestDelegate handle = pipeline.HandleAsync;
        foreach (var pattern in (string[])["/api/v1/{**path}", "/prometheus/api/v1/{**path}", "/prometheus/{**path}", "/federate", "/prometheus/federate"])
        {
            group.Map(pattern, handle);
        }
        group.MapMethods(ExplainEndpoint.Path, ["GET", "POST"], explain.HandleAsync);
        return group;
    }
}
