using Heimdall.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heimdall.AspNetCore.Health;

/// <summary>Ready when the policy store answers a revision query (policy files: always ready once loaded).</summary>
internal sealed class StoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IPolicyStore>() is not { } store)
        {
            return HealthCheckResult.Healthy("policies come from files");
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var revision = await store.GetRevisionAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{store.Driver} store at revision {revision}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Decisions keep using the last good snapshot; readiness tells the orchestrator the store is gone.
            return HealthCheckResult.Unhealthy($"{store.Driver} store unreachable: {e.GetType().Name}: {e.Message}");
        }
    }
}
