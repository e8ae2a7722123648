using System.Diagnostics.Metrics;
using Heimdall.Core.Diagnostics;

namespace Heimdall.Core.Federation;

/// <summary>The fan-out's instruments on Heimdall's one <see cref="Meter"/> (DESIGN §8).</summary>
internal static class FederationMetrics
{
    private static int s_active;

    /// <summary><c>heimdall_upstream_requests_total</c>, tagged with <c>code</c> (status code, <c>timeout</c> or <c>error</c>).</summary>
    public static Counter<long> UpstreamRequests { get; } =
        HeimdallDiagnostics.Meter.CreateCounter<long>(MetricNames.UpstreamRequests, description: "Requests sent to the upstream.");

    /// <summary><c>heimdall_upstream_request_duration_seconds</c>.</summary>
    public static Histogram<double> UpstreamRequestDuration { get; } =
        HeimdallDiagnostics.Meter.CreateHistogram<double>(MetricNames.UpstreamRequestDuration, unit: "s", description: "Duration of upstream requests.");

    /// <summary><c>heimdall_fanout_dropped_requests_total</c>.</summary>
    public static ObservedCounter FanoutDropped { get; } =
        new(MetricNames.FanoutDropped, "Upstream requests refused because fanout.max_concurrency was reached.");

    /// <summary><c>heimdall_fanout_active_goroutines</c>: upstream requests in flight.</summary>
    public static ObservableGauge<int> FanoutActive { get; } =
        HeimdallDiagnostics.Meter.CreateObservableGauge(MetricNames.FanoutActive, () => Volatile.Read(ref s_active), description: "Upstream fan-out requests in flight.");

    /// <summary>Upstream requests in flight now.</summary>
    public static int Active => Volatile.Read(ref s_active);

    /// <summary>Counts one request in flight until disposed.</summary>
    public static ActiveScope TrackActive()
    {
        Interlocked.Increment(ref s_active);
        return new ActiveScope();
    }

    /// <summary>Ends one in-flight request.</summary>
    public readonly struct ActiveScope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Interlocked.Decrement(ref s_active);
    }
}
