using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;
using Heimdall.Core.Policy;
using Microsoft.Extensions.Hosting;

namespace Heimdall.AspNetCore.Health;

/// <summary>
/// Publishes <c>heimdall_active_tenants</c> (the tenants of the current policy snapshot) and creates the other
/// instruments at start, so every metric is exported before its first event.
/// </summary>
internal sealed class HeimdallMetricsService(IPolicySnapshotProvider snapshots) : IHostedService
{
    private ObservableGauge<int>? _gauge;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _gauge = HeimdallDiagnostics.Meter.CreateObservableGauge(MetricNames.ActiveTenants,
            () => snapshots.Current.Tenants.Count, description: "Tenants known to the policy store.");
        MetricBaseline.Publish();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
