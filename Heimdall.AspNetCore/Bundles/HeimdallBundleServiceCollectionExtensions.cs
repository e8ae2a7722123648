using Heimdall.AspNetCore.Bundles;
using Heimdall.Core.Bundles;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services of Heimdall's OPA bundle endpoint.</summary>
public static class HeimdallBundleServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bundle service (built from the registered <c>IPolicySnapshotProvider</c> and rebuilt on every
    /// change) and the endpoint's <paramref name="options"/>; map the endpoint with <c>MapHeimdallBundles()</c>.
    /// </summary>
    public static IServiceCollection AddHeimdallBundles(this IServiceCollection services, BundleEndpointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton(options ?? new BundleEndpointOptions());
        services.TryAddSingleton<PolicyBundleService>();
        return services;
    }
}
