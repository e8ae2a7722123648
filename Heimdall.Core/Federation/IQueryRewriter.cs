namespace Heimdall.Core.Federation;

/// <summary>
/// Integration seam: rewrites PromQL under tenants' grants (DESIGN §4). The PromQL engine implements it; the
/// gateway only plans and dispatches. Implementations must fail closed: a query that does not parse, or cannot
/// be rewritten exactly, is an error, never the original text.
/// </summary>
internal interface IQueryRewriter
{
    /// <summary>
    /// Rewrites a <c>query</c> parameter for <see cref="QueryRewriteContext.Tenants"/> (one upstream request). With two
    /// or more tenants in native federation, each tenant's alternatives are qualified with <c>__tenant_id__</c>.
    /// </summary>
    QueryRewriteResult RewriteQuery(string query, QueryRewriteContext context);

    /// <summary>
    /// Rewrites one series selector (a <c>match[]</c> value) into the selectors to send instead; several
    /// alternatives become several selectors (Prometheus unions <c>match[]</c>). An empty list means the
    /// selector can match nothing the caller may see.
    /// </summary>
    SelectorRewriteResult RewriteSelector(string selector, QueryRewriteContext context);
}
