using Heimdall.AspNetCore;
using Heimdall.AspNetCore.Admin;
using Heimdall.AspNetCore.Configuration;
using Heimdall.AspNetCore.DependencyInjection;
using Heimdall.AspNetCore.Health;
using Heimdall.Core.Identity;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Heimdall's services.</summary>
public static class HeimdallServiceCollectionExtensions
{
    /// <summary>
    /// Adds Heimdall, configured from <paramref name="configuration"/> (the keys of <c>config.example.yaml</c>):
    /// authentication, the policy store (or policy files), the built-in or OPA evaluator with its decision cache,
    /// the OPA bundle service, the admin API and the gateway. Every service is added with <c>TryAdd</c>: one
    /// registered before this call wins (an <c>IAuthenticator</c> of the app's own makes the identity sections
    /// optional). Without a <c>database</c> or <c>policies</c> section, choose the policy source by chaining
    /// <c>.UseSqlite(...)</c>, <c>.UsePostgres(...)</c> or <c>.UsePolicyFiles(...)</c>.
    /// </summary>
    /// <exception cref="OptionsValidationException">The configuration is invalid; the exception lists every error.</exception>
    public static IHeimdallBuilder AddHeimdall(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var ownAuthenticator = services.Any(d => d.ServiceType == typeof(IAuthenticator));
        var settings = HeimdallSettingsBinder.Bind(configuration, identityRequired: !ownAuthenticator, out var errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("heimdall", typeof(HeimdallSettings), errors);
        }
        services.AddLogging();
        var builder = new HeimdallBuilder(services);

        if (configuration.GetSection("mimir").Exists())
        {
            services.TryAddSingleton(settings.Gateway);
        }
        if (!ownAuthenticator)
        {
            services.AddHeimdallIdentity(settings.Identity);
        }
        if (settings.PoliciesDirectory is { } directory)
        {
            builder.UsePolicyFiles(directory);
        }
        else if (HeimdallSettingsBinder.HasPolicySource(configuration))
        {
            builder.UsePolicyStore(settings.Store);
        }
        services.AddHeimdallPolicyEvaluator(settings.Opa, settings.DecisionCache);
        services.AddHeimdallBundles(settings.Bundle);
        services.AddOptions<HeimdallAdminOptions>().Bind(configuration.GetSection(HeimdallAdminOptions.SectionName));
        HealthCheckRegistration.AddHeimdallHealthChecks(services, settings.Opa);
        GatewayServiceRegistration.AddGateway(services, configuration);
        return builder;
    }
}
