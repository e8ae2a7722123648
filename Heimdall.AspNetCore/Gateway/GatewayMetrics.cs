using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.AspNetCore.Gateway;

/// <summary>Client-request instruments (DESIGN §8), tagged with the endpoint path (a bounded set) and status code.</summary>
internal static class GatewayMetrics
{
    /// <summary><c>heimdall_requests_total</c>.</summary>
    public static Counter<long> Requests { get; } =
        HeimdallDiagnostics.Meter.CreateCounter<long>(MetricNames.Requests, description: "Client requests by endpoint and status code.");

    /// <summary><c>heimdall_request_duration_seconds</c>.</summary>
    public static Histogram<double> RequestDuration { get; } =
        HeimdallDiagnostics.Meter.CreateHistogram<double>(MetricNames.RequestDuration, unit: "s", description: "Client request duration.");
}
