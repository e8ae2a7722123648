namespace Heimdall.Core.Federation;

/// <summary>
/// One request to the upstream, built from its own immutable parameter copy: for one tenant, or for a group
/// of tenants sent together (<c>X-Scope-OrgID: a|b</c>).
/// </summary>
internal sealed record UpstreamRequest
{
    /// <summary>The endpoint.</summary>
    public required PrometheusEndpoint Endpoint { get; init; }

    /// <summary>The label name of <c>label/{name}/values</c>.</summary>
    public string? LabelName { get; init; }

    /// <summary>The tenants this request is for (sent as <c>X-Scope-OrgID</c>).</summary>
    public required IReadOnlyList<string> Tenants { get; init; }

    /// <summary>The (rewritten) parameters, each sent in exactly one place.</summary>
    public required PrometheusRequestParameters Parameters { get; init; }

    /// <summary>For rules and alerts: the grant their entries are filtered with.</summary>
    public IGrantMatcher? Grant { get; init; }
}
