using Heimdall.Core.PromQL.Ast;
using Heimdall.Core.PromQL.Parser;
using Heimdall.Core.PromQL.Rewriting;

namespace Heimdall.Core.Federation;

/// <summary>
/// The gateway's <see cref="IQueryRewriter"/> on the PromQL engine (DESIGN §4): parses, applies the
/// <c>__tenant_id__</c> rules of Mimir's federation, injects the grant and prints the canonical form.
/// Fails closed: a query that does not parse is a 400, a grant that cannot be applied a 503, and the
/// original text is never returned.
/// </summary>
internal sealed class PromQLQueryRewriter(InjectionOptions? options = null) : IQueryRewriter
{
    private readonly InjectionOptions _options = options ?? InjectionOptions.Default;

    public QueryRewriteResult RewriteQuery(string query, QueryRewriteContext context)
    {
        if (!PromQLParser.TryParse(query, out var expr, out var parseError))
        {
            return QueryRewriteResult.Fail(400, $"invalid parameter \"query\": {parseError}");
        }
        if (!TryBuildGrant(context, out var grant, out var grantError))
        {
            return QueryRewriteResult.Fail(503, grantError);
        }
        var result = LabelInjector.Inject(ForUpstream(expr!, context), grant, _options);
        return result.Succeeded
            ? QueryRewriteResult.Success(result.Expr!.ToString())
            : QueryRewriteResult.Fail(StatusFor(result.ErrorKind), result.Error!);
    }

    public SelectorRewriteResult RewriteSelector(string selector, QueryRewriteContext context)
    {
        if (!PromQLParser.TryParse(selector, out var expr, out var parseError) || expr is not VectorSelector vector)
        {
            var why = parseError is not null ? parseError.ToString() : $"{selector} is not a series selector";
            return SelectorRewriteResult.Fail(400, $"invalid parameter \"match[]\": {why}");
        }
        if (!TryBuildGrant(context, out var grant, out var grantError))
        {
            return SelectorRewriteResult.Fail(503, grantError);
        }
        var perTenant = (VectorSelector)ForUpstream(vector, context);
        if (perTenant.LabelMatchers.Any(m => ReferenceEquals(m, TenantQueryRewriter.Nothing)))
        {
            return SelectorRewriteResult.Success([]); // the selector's __tenant_id__ matchers exclude this tenant
        }
        var result = MatchSelectors.Rewrite([perTenant.ToString()], grant, _options);
        return result.Succeeded
            ? SelectorRewriteResult.Success(result.Selectors)
            : SelectorRewriteResult.Fail(StatusFor(result.ErrorKind), result.Error!);
    }

    /// <summary>
    /// One tenant answering for a multi-tenant request (fan-out, or a tenant with its own upstream) emulates
    /// Mimir's federation: its <c>__tenant_id__</c> matchers are resolved here. A federated upstream request
    /// keeps them, Mimir resolves them itself.
    /// </summary>
    private static Expr ForUpstream(Expr expr, QueryRewriteContext context) =>
        context.Tenants.Count == 1 && context.RequestTenants.Count >= 2 ? FederatedGrant.ForTenant(expr, context.Tenants[0]) : expr;

    private static bool TryBuildGrant(QueryRewriteContext context, out Grant grant, out string error)
    {
        var grants = new Dictionary<string, Grant>(StringComparer.Ordinal);
        foreach (var tenant in context.Tenants)
        {
            if (!context.Decisions.TryGetValue(tenant, out var decision) || !decision.Allow)
            {
                (grant, error) = (Grant.Unrestricted, $"tenant {tenant} is not allowed");
                return false;
            }
            if (!Grant.TryFromDecision(decision, out var g, out var e))
            {
                (grant, error) = (Grant.Unrestricted, $"the grant of tenant {tenant} cannot be applied: {e}");
                return false;
            }
            grants[tenant] = g;
        }
        grant = context.Federated ? FederatedGrant.Qualify(grants) : grants[context.Tenants[0]];
        error = "";
        return true;
    }

    private static int StatusFor(InjectionErrorKind kind) => kind == InjectionErrorKind.Forbidden ? 403 : 400;
}
