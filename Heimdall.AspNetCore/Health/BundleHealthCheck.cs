using Heimdall.Core.Bundles;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heimdall.AspNetCore.Health;

/// <summary>Ready once the first snapshot is loaded and a bundle has been built from it.</summary>
internal sealed class BundleHealthCheck(IPolicySnapshotProvider snapshots, PolicyBundleService bundles) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bundle = bundles.Current;
        return Task.FromResult(bundle.Content.Length > 0
            ? HealthCheckResult.Healthy($"bundle {bundle.ETag} at store revision {snapshots.Current.Revision}")
            : HealthCheckResult.Unhealthy("no bundle has been built yet"));
    }
}
