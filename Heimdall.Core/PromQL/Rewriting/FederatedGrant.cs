using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>
/// Grants for queries over several tenants (DESIGN §4, Mimir's tenant federation): tenant-qualified alternatives for
/// one federated upstream request, and the per-tenant rewrite of <c>__tenant_id__</c> matchers for a fan-out.
/// </summary>
public static class FederatedGrant
{
    /// <summary>The label Mimir's federation adds to every series.</summary>
    public const string TenantLabel = "__tenant_id__";

    /// <summary>The label an existing <c>__tenant_id__</c> is renamed to under federation.</summary>
    public const string OriginalTenantLabel = "original___tenant_id__";

    /// <summary>Tenant IDs deduplicated in first-seen order (<c>acme|acme</c> is one tenant).</summary>
    /// <param name="tenants">Tenant IDs as given (e.g. the parts of <c>X-Scope-OrgID</c>).</param>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        return [.. tenants.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// One grant for a federated request: each tenant's alternatives qualified with <c>__tenant_id__="tenant"</c>. With
    /// one tenant (Mimir does not federate then) it is that tenant's grant unchanged; when every tenant is
    /// unrestricted it is <see cref="Grant.Unrestricted"/>. Tenants with the same grant merge (<c>__tenant_id__=~"a|b"</c>).
    /// </summary>
    /// <param name="grants">The grant of each distinct tenant of the request.</param>
    /// <exception cref="ArgumentException">No tenants.</exception>
    public static Grant Qualify(IReadOnlyDictionary<string, Grant> grants)
    {
        ArgumentNullException.ThrowIfNull(grants);
        if (grants.Count == 0)
        {
            throw new ArgumentException("at least one tenant is needed", nameof(grants));
        }
        if (grants.Count == 1)
        {
            return grants.Values.First();
        }
        if (grants.Values.All(g => g.IsUnrestricted))
        {
            return Grant.Unrestricted;
        }
        var alternatives = new List<IEnumerable<LabelMatcher>>();
        foreach (var (tenant, grant) in grants.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var qualifier = new LabelMatcher(LabelMatchType.Equal, TenantLabel, tenant);
            alternatives.AddRange(grant.Alternatives.Select(a => a.Where(m => m.Name != TenantLabel).Prepend(qualifier)));
        }
        return Grant.Create(alternatives);
    }

    /// <summary>
    /// Whether any selector of <paramref name="expr"/> can select <paramref name="tenant"/>, judged by the selectors'
    /// own <c>__tenant_id__</c> matchers. A tenant no selector can reach need not be queried in a fan-out.
    /// </summary>
    /// <param name="expr">The query.</param>
    /// <param name="tenant">A tenant ID.</param>
    public static bool MaySelect(Expr expr, string tenant)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(tenant);
        var finder = new TenantSelectorFinder(tenant);
        finder.Walk(expr);
        return finder.Reachable || !finder.AnySelector;
    }

    /// <summary>
    /// The query one tenant's upstream gets in a fan-out: selectors whose <c>__tenant_id__</c> matchers reject the tenant,
    /// or that have no other matcher, select nothing; <c>__tenant_id__</c> matchers are removed; matchers on
    /// <c>original___tenant_id__</c> are mapped back to <c>__tenant_id__</c> (the data's own label).
    /// </summary>
    /// <param name="expr">The query (before the tenant's grant is injected).</param>
    /// <param name="tenant">The tenant ID.</param>
    public static Expr ForTenant(Expr expr, string tenant)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(tenant);
        return new TenantQueryRewriter(tenant).Visit(expr);
    }
}
