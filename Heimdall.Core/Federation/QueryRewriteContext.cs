using Heimdall.Core.Policy;

namespace Heimdall.Core.Federation;

/// <summary>What a rewrite is for: the tenants of one upstream request, their (allowing) decisions, and the strategy.</summary>
internal sealed record QueryRewriteContext
{
    /// <summary>The tenants the upstream request is sent for (deduplicated, all allowed).</summary>
    public required IReadOnlyList<string> Tenants { get; init; }

    /// <summary>
    /// Every tenant of the client request. When it holds more than <see cref="Tenants"/>, this upstream request
    /// answers for part of a federated request, and <c>__tenant_id__</c> matchers are resolved per tenant.
    /// </summary>
    public IReadOnlyList<string> RequestTenants { get; init; } = [];

    /// <summary>The decision of every tenant in <see cref="Tenants"/>.</summary>
    public required IReadOnlyDictionary<string, TenantDecision> Decisions { get; init; }

    /// <summary>How the request reaches the upstream.</summary>
    public required FederationStrategy Strategy { get; init; }

    /// <summary>True when the upstream federates <see cref="Tenants"/> (two or more tenants in one request): alternatives are tenant-qualified.</summary>
    public bool Federated => Tenants.Count >= 2;
}
