using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heimdall.AspNetCore.Health;

/// <summary>
/// Ready when OPA answers <c>GET /health?bundles</c> with 200, which it does only after activating a bundle
/// (DESIGN §6): before that its decisions would be undefined.
/// </summary>
internal sealed class OpaHealthCheck(IHttpClientFactory clients, OpaHealthCheck.Target target) : IHealthCheck
{
    public const string HttpClientName = "Heimdall.OpaHealth";

    public sealed record Target(Uri OpaUrl);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .GetAsync(new Uri(target.OpaUrl, "/health?bundles"), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("OPA has activated its bundle")
                : HealthCheckResult.Unhealthy($"OPA answered {(int)response.StatusCode} to /health?bundles (no bundle activated)");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"OPA unreachable: {e.Message}");
        }
    }
}
