using Heimdall.Core.PromQL.Ast;

namespace Heimdall.Core.PromQL.Rewriting;

/// <summary>Rewrites <c>__tenant_id__</c> matchers for one tenant of a fan-out; see <see cref="FederatedGrant.ForTenant"/>.</summary>
internal sealed class TenantQueryRewriter(string tenant) : PromQLRewriter
{
    /// <summary>Matches no series: every series has a name, and <c>.*</c> matches every name.</summary>
    internal static readonly LabelMatcher Nothing = new(LabelMatchType.NotRegex, "__name__", ".*");

    public override Expr VisitVectorSelector(VectorSelector node) => Rewrite(node, tenant);

    internal static VectorSelector Rewrite(VectorSelector node, string tenant)
    {
        var touched = false;
        var rejects = false;
        var kept = new List<LabelMatcher>(node.LabelMatchers.Count);
        foreach (var m in node.LabelMatchers)
        {
            if (m.Name == FederatedGrant.TenantLabel)
            {
                touched = true;
                rejects |= !m.Matches(tenant);
            }
            else if (m.Name == FederatedGrant.OriginalTenantLabel)
            {
                touched = true;
                kept.Add(new LabelMatcher(m.Type, FederatedGrant.TenantLabel, m.Value));
            }
            else
            {
                kept.Add(m);
            }
        }
        if (!touched)
        {
            return node;
        }
        if (rejects || !kept.Any(m => !m.Matches("")))
        {
            // The extra matcher makes the selector empty. The name moves inside the braces: Prometheus refuses a
            // second __name__ matcher next to a name written before them ("metric name must not be set twice").
            kept.Add(Nothing);
            return node with { Name = "", LabelMatchers = kept.ToArray() };
        }
        return node with { LabelMatchers = kept.ToArray() };
    }
}
