namespace Heimdall.Core.Federation;

/// <summary>What the gateway does with a request to one Prometheus API endpoint (DESIGN §5).</summary>
internal enum EndpointTreatment
{
    /// <summary>Rewrite the <c>query</c> parameter (query, query_range, query_exemplars).</summary>
    RewriteQuery,

    /// <summary>Rewrite every <c>match[]</c>; at least one is required (series).</summary>
    RewriteRequiredMatchers,

    /// <summary>Rewrite every <c>match[]</c>; add the grant as <c>match[]</c> when none is given (labels, label values).</summary>
    RewriteOptionalMatchers,

    /// <summary>Rewrite every <c>match[]</c> (required) and answer in text format (<c>/federate</c>).</summary>
    Federate,

    /// <summary>Forward per tenant, drop rules whose labels do not satisfy the grant.</summary>
    FilterRules,

    /// <summary>Forward per tenant, drop alerts whose labels do not satisfy the grant.</summary>
    FilterAlerts,

    /// <summary>Unrestricted: forward. Restricted: only metrics whose names the grant can see.</summary>
    Metadata,

    /// <summary>Only for unrestricted grants (cardinality, TSDB status), else 403.</summary>
    UnrestrictedOnly,

    /// <summary>No data access (format_query, parse_query, buildinfo): forwarded without tenant data.</summary>
    NoDataAccess,

    /// <summary>Remote write: <c>write</c> on exactly one tenant, body streamed untouched.</summary>
    RemoteWrite,
}
