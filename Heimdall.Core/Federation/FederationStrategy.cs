namespace Heimdall.Core.Federation;

/// <summary>How a request over several tenants reaches the upstream (<c>federation.strategy</c>).</summary>
public enum FederationStrategy
{
    /// <summary>
    /// <c>native</c>: one upstream request with <c>X-Scope-OrgID: a|b</c> and tenant-qualified grants; for Mimir
    /// with tenant federation enabled. Cross-tenant aggregations are exact.
    /// </summary>
    Native,

    /// <summary>
    /// <c>fanout</c>: one request per tenant (or per group of tenants with identical grants), in parallel, merged
    /// into Mimir's federated shape; for upstreams without federation and per-tenant upstream URLs.
    /// </summary>
    Fanout,
}
