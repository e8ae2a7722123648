namespace Heimdall.Core.Federation;

/// <summary>The shape of a Prometheus API response's <c>data</c>, which decides how tenants' responses merge.</summary>
internal enum ResponseKind
{
    /// <summary><c>query</c>, <c>query_range</c>: vector, matrix, scalar or string.</summary>
    Query,

    /// <summary><c>series</c>: a list of label sets.</summary>
    Series,

    /// <summary><c>labels</c>: a list of label names.</summary>
    LabelNames,

    /// <summary><c>label/{name}/values</c>: a list of values.</summary>
    LabelValues,

    /// <summary><c>query_exemplars</c>: series labels with exemplars.</summary>
    Exemplars,

    /// <summary><c>metadata</c>: metric name to metadata entries.</summary>
    Metadata,

    /// <summary><c>rules</c>: rule groups.</summary>
    Rules,

    /// <summary><c>alerts</c>: active alerts.</summary>
    Alerts,
}
