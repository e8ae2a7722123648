using Heimdall.AspNetCore.Bundles;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Heimdall's OPA bundle endpoint.</summary>
public static class HeimdallBundleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /bundles/bundle.tar.gz</c> (DESIGN §6), meant for the bundle listener. Needs
    /// <c>services.AddHeimdallBundles(...)</c> and an <c>IPolicySnapshotProvider</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapHeimdallBundles(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } isService &&
            !isService.IsService(typeof(BundleEndpointOptions)))
        {
            throw new InvalidOperationException("MapHeimdallBundles() needs services.AddHeimdallBundles(...) first.");
        }
        return endpoints.MapGet(BundleEndpoint.Path, (RequestDelegate)BundleEndpoint.HandleAsync)
            .WithDisplayName("Heimdall OPA bundle");
    }
}
