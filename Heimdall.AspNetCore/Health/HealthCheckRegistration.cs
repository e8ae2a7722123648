using Heimdall.Core.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heimdall.AspNetCore.Health;

/// <summary>
/// Readiness checks, tagged <see cref="ReadyTag"/>: the policy store answers, a bundle is built, and (when
/// configured) OPA has activated its bundle. A host maps them at <c>/readyz</c>.
/// </summary>
internal static class HealthCheckRegistration
{
    public const string ReadyTag = "ready";

    public static void AddHeimdallHealthChecks(IServiceCollection services, OpaOptions opa)
    {
        services.AddHostedService<HeimdallMetricsService>();
        var checks = services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<BundleHealthCheck>("bundle", HealthStatus.Unhealthy, [ReadyTag]);
        if (opa.Url is not null)
        {
            services.AddHttpClient(OpaHealthCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
            services.AddSingleton(new OpaHealthCheck.Target(opa.Url));
            checks.AddCheck<OpaHealthCheck>("opa", HealthStatus.Unhealthy, [ReadyTag]);
        }
    }
}
