namespace Heimdall.Core.Diagnostics;

/// <summary>Metric names as exported in Prometheus format (DESIGN §8).</summary>
public static class MetricNames
{
    /// <summary>Counter: client requests by endpoint and status code.</summary>
    public const string Requests = "heimdall_requests_total";
    /// <summary>Histogram: client request duration.</summary>
    public const string RequestDuration = "heimdall_request_duration_seconds";
    /// <summary>Counter: policy evaluations by result.</summary>
    public const string OpaEvaluations = "heimdall_opa_evaluations_total";
    /// <summary>Histogram: policy evaluation duration.</summary>
    public const string OpaEvaluationDuration = "heimdall_opa_evaluation_duration_seconds";
    /// <summary>Counter: upstream requests by status code.</summary>
    public const string UpstreamRequests = "heimdall_upstream_requests_total";
    /// <summary>Histogram: upstream request duration.</summary>
    public const string UpstreamRequestDuration = "heimdall_upstream_request_duration_seconds";
    /// <summary>Counter: bundle rebuilds.</summary>
    public const string BundleRebuilds = "heimdall_bundle_rebuilds_total";
    /// <summary>Gauge: tenants known to the store.</summary>
    public const string ActiveTenants = "heimdall_active_tenants";
    /// <summary>Gauge: fan-out requests in flight (the name is kept from the Go Heimdall).</summary>
    public const string FanoutActive = "heimdall_fanout_active_goroutines";
    /// <summary>Counter: fan-out requests refused because the bound was reached.</summary>
    public const string FanoutDropped = "heimdall_fanout_dropped_requests_total";
    /// <summary>Counter: decision/tenant cache hits.</summary>
    public const string TenantCacheHits = "heimdall_tenant_cache_hits_total";
    /// <summary>Counter: authentications by method (<c>jwt</c>, <c>basic</c>, <c>static</c>, <c>none</c>) and result.</summary>
    public const string Authentications = "heimdall_authentications_total";
    /// <summary>Counter: JWKS loads by result.</summary>
    public const string JwksLoads = "heimdall_jwks_loads_total";
    /// <summary>Counter: decision/tenant cache misses.</summary>
    public const string TenantCacheMisses = "heimdall_tenant_cache_misses_total";
}
