using Heimdall.AspNetCore;
using Heimdall.AspNetCore.DependencyInjection;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Heimdall's services.</summary>
public static class HeimdallServiceCollectionExtensions
{
    /// <summary>Adds Heimdall, configured from <paramref name="configuration"/> (the keys of <c>config.example.yaml</c>).</summary>
    public static IHeimdallBuilder AddHeimdall(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLogging();
        GatewayServiceRegistration.AddGateway(services, configuration);
        return new HeimdallBuilder(services);
    }
}
