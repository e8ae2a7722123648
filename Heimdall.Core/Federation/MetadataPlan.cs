namespace Heimdall.Core.Federation;

/// <summary>
/// How a merged <c>metadata</c> answer is made (DESIGN §5): the metric names each restricted tenant may see
/// (<c>label/__name__/values</c> under the grant, asked alongside the metadata), and Prometheus' limits, applied
/// after filtering and merging.
/// </summary>
internal sealed record MetadataPlan
{
    /// <summary>One <c>label/__name__/values</c> request per restricted tenant, with the grant as <c>match[]</c>.</summary>
    public IReadOnlyList<UpstreamRequest> NameRequests { get; init; } = [];

    /// <summary>The tenants whose metadata is filtered by their visible names; without a names answer a tenant's metadata is dropped.</summary>
    public IReadOnlyList<string> RestrictedTenants { get; init; } = [];

    /// <summary>Most metrics returned (<c>limit</c>); negative: no limit, 0: none (as Prometheus).</summary>
    public int Limit { get; init; } = -1;

    /// <summary>Most entries per metric (<c>limit_per_metric</c>); 0 or negative: no limit (as Prometheus).</summary>
    public int LimitPerMetric { get; init; } = -1;
}
