using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Heimdall's endpoints.</summary>
public static class HeimdallEndpointRouteBuilderExtensions
{
    /// <summary>Maps the Prometheus API, explain and admin endpoints of Heimdall.</summary>
    public static IEndpointConventionBuilder MapHeimdall(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGroup("");
    }
}
