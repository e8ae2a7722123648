using Heimdall.Core.Federation;

namespace Heimdall.AspNetCore.Gateway;

/// <summary>
/// The default <see cref="IQueryRewriter"/> until the PromQL engine's is registered: refuses every query and
/// selector (503), so nothing is ever forwarded unrewritten.
/// </summary>
internal sealed class FailClosedQueryRewriter : IQueryRewriter
{
    private const string Message = "query rewriting is not available: no PromQL rewriter is registered";

    /// <inheritdoc />
    public QueryRewriteResult RewriteQuery(string query, QueryRewriteContext context) => QueryRewriteResult.Fail(503, Message);

    /// <inheritdoc />
    public SelectorRewriteResult RewriteSelector(string selector, QueryRewriteContext context) => SelectorRewriteResult.Fail(503, Message);
}
